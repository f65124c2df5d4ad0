import RPC
import Synchronization
import Testing
@testable import Orders

@Suite("Order lifecycle end to end (store, dispatcher, scheduler; Payments faked at the network)")
struct OrderSystemTests {
    @Test func approvedOrderIsConfirmedThenDeliveredAndWatchSeesEveryState() async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway()
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let order = try await system.create(.make())
                #expect(order.state == .created)
                #expect(order.totalCents == 599)
                let seen = Mutex<[OrderLifecycle.State]>([])
                try await system.watch(id: order.id) { update in seen.withLock { $0.append(update.state) } }
                // The watch may start after the confirmation; it must still end delivered.
                let states = seen.withLock { $0 }
                #expect(states.last == .delivered)
                // Whatever it missed, it saw the rest in lifecycle order, each state once.
                let lifecycle: [OrderLifecycle.State] = [.created, .confirmed, .delivered]
                #expect(states == lifecycle.filter(states.contains))
                let final = try await system.order(id: order.id)
                #expect(final.state == .delivered)
                #expect(final.paymentID == "pay-" + order.id)
                #expect(final.version == 3)
                #expect(try #require(final.deliverAt) >= order.createdAt + 200)
            }
        }
    }

    @Test func watchFromCreationSeesCreatedConfirmedDelivered() async throws {
        try await withTemporaryDirectory { directory in
            let release = Mutex(false)
            // Payments answers only once the watcher is attached.
            let gateway = ScriptedGateway(beforeAnswer: { _ in
                while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let order = try await system.create(.make())
                let seen = Mutex<[OrderLifecycle.State]>([])
                try await system.watch(id: order.id) { update in
                    seen.withLock { $0.append(update.state) }
                    release.withLock { $0 = true }
                }
                #expect(seen.withLock { $0 } == [.created, .confirmed, .delivered])
            }
        }
    }

    @Test func declinedOrderIsCancelled() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway()) { system in
                let order = try await system.create(.make(token: "tok_decline"))
                try await eventually("decline") { try await system.order(id: order.id).state == .cancelled }
                let final = try await system.order(id: order.id)
                #expect(final.cancelReason == .paymentDeclined)
                #expect(final.paymentID == "pay-" + order.id, "Payments answered, so the order names the declined payment")
                #expect(try await system.store.earliestJobDue() == nil)
            }
        }
    }

    @Test func paymentsDownForAWhileThenBackResolvesEveryOrder() async throws {
        try await withTemporaryDirectory { directory in
            let up = Mutex(false)
            let gateway = ScriptedGateway(reachable: { _ in up.withLock { $0 } })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                var orders: [OrderRecord] = []
                for index in 0..<20 { orders.append(try await system.create(.make(token: index % 4 == 0 ? "tok_decline" : "tok_approve"))) }
                try await eventually("retries while down") { gateway.ledger.unreachableCalls >= 60 }
                for order in orders { #expect(try await system.order(id: order.id).state == .created) }
                up.withLock { $0 = true }
                try await eventually("every order final") {
                    var allFinal = true
                    for order in orders where try await !system.order(id: order.id).state.isFinal { allFinal = false }
                    return allFinal
                }
                for (index, order) in orders.enumerated() {
                    let final = try await system.order(id: order.id)
                    if index % 4 == 0 {
                        #expect(final.state == .cancelled && final.cancelReason == .paymentDeclined)
                    } else {
                        #expect(final.state == .delivered)
                    }
                }
            }
        }
    }

    @Test func aRejectedServiceTokenIsRetriedNotTakenAsADecline() async throws {
        try await withTemporaryDirectory { directory in
            let secretFixed = Mutex(false)
            let gateway = ScriptedGateway(refusal: { _ in
                secretFixed.withLock { $0 } ? nil : PaymentGatewayError(.callerRejected, "UNAUTHENTICATED: invalid service token")
            })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let order = try await system.create(.make())
                let seen = Mutex<[PaymentsLinkMonitor.State]>([])
                system.dispatcher.paymentsLink.observe { state in seen.withLock { $0.append(state) } }
                try await eventually("retries while the token is refused") { gateway.ledger.refusedCalls >= 3 }
                #expect(try await system.order(id: order.id).state == .created)
                #expect(system.dispatcher.paymentsLink.state == .refused(reason: "UNAUTHENTICATED: invalid service token"))
                secretFixed.withLock { $0 = true }
                try await eventually("delivered once the token is accepted") { try await system.order(id: order.id).state == .delivered }
                #expect(system.dispatcher.paymentsLink.state == .healthy)
                // Observers hear each switch once, not every retried refusal.
                #expect(seen.withLock { $0 } == [.healthy, .refused(reason: "UNAUTHENTICATED: invalid service token"), .healthy])
            }
        }
    }

    @Test func aMalformedPaymentRefusedByPaymentsDeclinesTheOrder() async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway(refusal: { _ in PaymentGatewayError(.refused, "payment_token is malformed") })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let order = try await system.create(.make())
                try await eventually("cancelled") { try await system.order(id: order.id).state == .cancelled }
                #expect(try await system.order(id: order.id).cancelReason == .paymentDeclined)
                #expect(gateway.ledger.refusedCalls == 1)
                #expect(try await system.store.earliestJobDue() == nil)
                // Payments answered about the payment: the link itself is fine.
                #expect(system.dispatcher.paymentsLink.state == .healthy)
            }
        }
    }

    @Test func paymentsNeverUpCancelsWithPaymentTimeout() async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.paymentTimeout = .milliseconds(300)
            let gateway = ScriptedGateway(reachable: { _ in false })
            try await withOrderSystem(in: directory, gateway: gateway, config: config) { system in
                let orders = [try await system.create(.make()), try await system.create(.make())]
                try await eventually("timeouts") {
                    var done = true
                    for order in orders where try await system.order(id: order.id).state != .cancelled { done = false }
                    return done
                }
                for order in orders {
                    let final = try await system.order(id: order.id)
                    #expect(final.cancelReason == .paymentTimeout)
                    #expect(final.updatedAt >= order.createdAt + 300)
                }
                // The job stays, to learn whether a late approval took money.
                #expect(try await system.store.earliestJobDue() != nil)
            }
        }
    }

    @Test func lateApprovalAfterTheTimeoutIsRefunded() async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.paymentTimeout = .milliseconds(200)
            let up = Mutex(false)
            let gateway = ScriptedGateway(reachable: { _ in up.withLock { $0 } })
            try await withOrderSystem(in: directory, gateway: gateway, config: config) { system in
                let order = try await system.create(.make())
                try await eventually("timeout") { try await system.order(id: order.id).cancelReason == .paymentTimeout }
                up.withLock { $0 = true }
                try await eventually("refund") { gateway.ledger.refundCalls[order.id] == 1 }
                try await eventually("jobs done") { try await system.store.earliestJobDue() == nil }
                #expect(gateway.ledger.decisions[order.id]?.status == .refunded)
                #expect(try await system.order(id: order.id).state == .cancelled)
            }
        }
    }

    @Test func cancelIsIdempotentAndRefusedOnceDelivered() async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway(reachable: { _ in false })
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let order = try await system.create(.make())
                let cancelled = try await system.cancel(id: order.id)
                #expect(cancelled.state == .cancelled)
                #expect(cancelled.cancelReason == .userRequested)
                let again = try await system.cancel(id: order.id)
                #expect(again == cancelled)
                await #expect(throws: OrderError.notFound(orderID: "nope")) { try await system.cancel(id: "nope") }
            }
            let delivered = try await withOrderSystem(in: directory, gateway: ScriptedGateway()) { system in
                let order = try await system.create(.make())
                try await eventually("delivery") { try await system.order(id: order.id).state == .delivered }
                await #expect(throws: OrderError.failedPrecondition("a delivered order cannot be cancelled")) {
                    try await system.cancel(id: order.id)
                }
                return try await system.order(id: order.id)
            }
            #expect(delivered.cancelReason == nil)
        }
    }

    @Test func cancellingAConfirmedOrderRefundsIt() async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.deliveryDelay = .seconds(60)
            let gateway = ScriptedGateway()
            try await withOrderSystem(in: directory, gateway: gateway, config: config) { system in
                let order = try await system.create(.make())
                try await eventually("confirm") { try await system.order(id: order.id).state == .confirmed }
                let cancelled = try await system.cancel(id: order.id)
                #expect(cancelled.state == .cancelled)
                #expect(cancelled.paymentID == "pay-" + order.id)
                try await eventually("refund") { gateway.ledger.refundCalls[order.id] == 1 }
                try await eventually("jobs done") { try await system.store.earliestJobDue() == nil }
            }
        }
    }

    @Test func idempotentCreateThroughTheSystem() async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway()
            try await withOrderSystem(in: directory, gateway: gateway) { system in
                let first = try await system.create(.make(requestID: "req-1"))
                let again = try await system.create(.make(requestID: "req-1"))
                #expect(again.id == first.id)
                await #expect(throws: OrderError.requestIDReused(requestID: "req-1")) {
                    try await system.create(.make(requestID: "req-1", quantity: 7))
                }
                try await eventually("delivery") { try await system.order(id: first.id).state == .delivered }
                // One charge: the repeat did not start a second payment.
                #expect(gateway.ledger.decisions.count == 1)
            }
        }
    }

    @Test func shutdownEndsOpenWatchesWithUnavailable() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway(reachable: { _ in false })) { system in
                let order = try await system.create(.make())
                let first = Mutex(false)
                let watch = Task {
                    try await system.watch(id: order.id) { _ in first.withLock { $0 = true } }
                }
                try await eventually("first message") { first.withLock { $0 } }
                system.endWatches()
                await #expect(throws: RPCError.unavailable("the server is shutting down; watch again")) { try await watch.value }
                // New watches are refused from now on.
                await #expect(throws: RPCError.self) { try await system.watch(id: order.id) { _ in } }
            }
        }
    }
}
