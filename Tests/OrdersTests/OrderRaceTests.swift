import Synchronization
import Testing
@testable import Orders

@Suite("Races between a customer's cancel and the payment")
struct OrderRaceTests {
    /// Many orders; each is cancelled while its payment is answered. Whatever wins, the end is
    /// one consistent state and a refund exactly when money was taken and kept from the order.
    @Test(arguments: 1...3)
    func cancelVersusApprovalAlwaysEndsConsistent(round: Int) async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.deliveryDelay = .seconds(60)
            let gate = Mutex(false)
            let gateway = ScriptedGateway(
                decide: { _ in .approved },
                beforeAnswer: { orderID in
                    // Hold every answer until the cancels start, then spread them around the cancels.
                    while !gate.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
                    try? await Task.sleep(for: .microseconds(Int(orderID.utf8.last! % 16) * 300))
                }
            )
            try await withOrderSystem(in: directory, gateway: gateway, config: config) { system in
                var orders: [OrderRecord] = []
                for _ in 0..<60 { orders.append(try await system.create(.make())) }
                gate.withLock { $0 = true }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, order) in orders.enumerated() {
                        group.addTask {
                            try await Task.sleep(for: .microseconds((index % 16) * 300))
                            _ = try await system.cancel(id: order.id)
                        }
                    }
                    try await group.waitForAll()
                }
                try await eventually("every job done") { try await system.store.earliestJobDue() == nil }
                for order in orders {
                    let final = try await system.order(id: order.id)
                    let decision = try #require(gateway.ledger.decisions[order.id])
                    // Every order was cancelled by its customer, and every charge was given back.
                    #expect(final.state == .cancelled)
                    #expect(final.cancelReason == .userRequested)
                    #expect(decision.status == .refunded)
                    #expect(gateway.ledger.refundCalls[order.id] == 1)
                    // Cancelled before the approval landed: created → cancelled, no payment on
                    // the order. After it: created → confirmed → cancelled, with the payment.
                    if let paymentID = final.paymentID {
                        #expect(paymentID == decision.paymentID)
                        #expect(final.version == 3)
                    } else {
                        #expect(final.version == 2)
                    }
                }
            }
        }
    }

    /// The same race with declines mixed in: no refund for money never taken.
    @Test func cancelVersusDeclineNeverRefunds() async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway(decide: { _ in .declined })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                var orders: [OrderRecord] = []
                for _ in 0..<30 { orders.append(try await system.create(.make())) }
                for order in orders { _ = try await system.cancel(id: order.id) }
                try await eventually("every job done") { try await system.store.earliestJobDue() == nil }
                for order in orders {
                    let final = try await system.order(id: order.id)
                    #expect(final.state == .cancelled)
                    #expect(gateway.ledger.refundCalls[order.id] == nil)
                }
            }
        }
    }
}
