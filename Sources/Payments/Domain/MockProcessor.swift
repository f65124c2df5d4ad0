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

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so
/// `--seed` makes the mock processor's decisions reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
