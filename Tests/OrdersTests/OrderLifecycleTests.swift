import Testing
@testable import Orders

@Suite("Order state machine")
struct OrderLifecycleTests {
    typealias State = OrderLifecycle.State
    typealias Event = OrderLifecycle.Event

    /// The lifecycle's rule table (docs/orders-and-payments.md), written out pair by pair.
    static let expected: [State: [Event: OrderLifecycle.Outcome]] = [
        .created: [
            .paymentApproved: .transition(.init(to: .confirmed, cancelReason: nil, refund: false)),
            .paymentDeclined: .transition(.init(to: .cancelled, cancelReason: .paymentDeclined, refund: false)),
            .paymentTimedOut: .transition(.init(to: .cancelled, cancelReason: .paymentTimeout, refund: false)),
            .userCancel: .transition(.init(to: .cancelled, cancelReason: .userRequested, refund: false)),
            .deliveryDue: .refused(.failedPrecondition("order is not confirmed yet")),
        ],
        .confirmed: [
            .paymentApproved: .unchanged(refund: false),
            .paymentDeclined: .unchanged(refund: false),
            .paymentTimedOut: .unchanged(refund: false),
            .userCancel: .transition(.init(to: .cancelled, cancelReason: .userRequested, refund: true)),
            .deliveryDue: .transition(.init(to: .delivered, cancelReason: nil, refund: false)),
        ],
        .delivered: [
            .paymentApproved: .unchanged(refund: false),
            .paymentDeclined: .unchanged(refund: false),
            .paymentTimedOut: .unchanged(refund: false),
            .userCancel: .refused(.failedPrecondition("a delivered order cannot be cancelled")),
            .deliveryDue: .unchanged(refund: false),
        ],
        .cancelled: [
            .paymentApproved: .unchanged(refund: true),
            .paymentDeclined: .unchanged(refund: false),
            .paymentTimedOut: .unchanged(refund: false),
            .userCancel: .unchanged(refund: false),
            .deliveryDue: .unchanged(refund: false),
        ],
    ]

    static let pairs: [(State, Event)] = State.allCases.flatMap { state in Event.allCases.map { (state, $0) } }

    @Test("every (state, event) pair", arguments: pairs)
    func pair(state: State, event: Event) throws {
        let expected = try #require(Self.expected[state]?[event], "no expectation for (\(state), \(event))")
        #expect(OrderLifecycle.outcome(of: event, in: state) == expected)
    }

    @Test("the table covers all 20 pairs")
    func tableIsComplete() {
        #expect(Self.pairs.count == 20)
        #expect(Self.expected.values.map(\.count).reduce(0, +) == 20)
    }

    @Test("no event leaves a final state", arguments: [State.delivered, .cancelled])
    func finalStatesStay(state: State) {
        #expect(state.isFinal)
        for event in Event.allCases {
            if case .transition = OrderLifecycle.outcome(of: event, in: state) {
                Issue.record("\(event) moved a \(state) order")
            }
        }
    }
}
