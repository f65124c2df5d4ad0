import Synchronization

/// The payment processor stand-in the brief asks for: approves with probability
/// `approvalRate`; the test tokens decide without chance.
public final class MockProcessor: Sendable {
    /// A decision and, for a decline, why.
    public struct Decision: Sendable, Hashable {
        public var approved: Bool
        public var declineReason: String?
    }

    public let approvalRate: Double
    private let generator: Mutex<SeededGenerator>

    /// - Parameters:
    ///   - approvalRate: 0…1.
    ///   - seed: makes the sequence of random decisions reproducible; nil for a random seed.
    public init(approvalRate: Double, seed: UInt64?) {
        self.approvalRate = min(max(approvalRate, 0), 1)
        var system = SystemRandomNumberGenerator()
        self.generator = Mutex(SeededGenerator(seed: seed ?? system.next()))
    }

    public func decide(_ charge: PaymentCharge) -> Decision {
        switch charge.token.kind {
        case .alwaysApprove:
            return Decision(approved: true, declineReason: nil)
        case .alwaysDecline:
            return Decision(approved: false, declineReason: "declined by test token tok_decline")
        case .random:
            let draw = generator.withLock { Double.random(in: 0..<1, using: &$0) }
            return draw < approvalRate
                ? Decision(approved: true, declineReason: nil)
                : Decision(approved: false, declineReason: "declined by the processor")
        }
    }
}
