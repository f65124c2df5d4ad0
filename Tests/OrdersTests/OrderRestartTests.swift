import Testing
@testable import Orders

@Suite("Restarts")
struct OrderRestartTests {
    @Test func deliveryHappensExactlyOnceAcrossAReopen() async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.deliveryDelay = .seconds(60)
            let order = try await withOrderSystem(in: directory, gateway: ScriptedGateway(), config: config) { system in
                let order = try await system.create(.make())
                try await eventually("confirm") { try await system.order(id: order.id).state == .confirmed }
                return order
            }
            // Stopped before deliver_at; the next process, a minute later, delivers it.
            let reopened = try await withOrderStore(in: directory) { store in try await store.order(id: order.id) }
            #expect(reopened?.state == .confirmed)
            let later = WallClock { WallClock.system.now() + 61_000 }
            try await withOrderStore(in: directory) { store in
                let system = OrderSystem(store: store, gateway: ScriptedGateway(), config: config, clock: later, logger: .test)
                system.start()
                try await eventually("delivery") { try await system.order(id: order.id).state == .delivered }
                await system.shutdown()
            }
            // A third process finds nothing to deliver: created → confirmed → delivered is version 3.
            try await withOrderStore(in: directory) { base in
                let store = RecordingOrderStore(base: base)
                let system = OrderSystem(store: store, gateway: ScriptedGateway(), config: config, clock: later, logger: .test)
                system.start()
                // Two claim passes past deliver_at: the scheduler has looked, and found nothing.
                try await eventually("two delivery passes") { store.deliveryClaims.count >= 2 }
                await system.shutdown()
                #expect(store.deliveryClaims.allSatisfy { $0.isEmpty })
                #expect(store.deliveries.isEmpty)
                let final = try await system.order(id: order.id)
                #expect(final.state == .delivered)
                #expect(final.version == 3)
            }
        }
    }

    @Test func pendingPaymentJobsResumeAfterARestart() async throws {
        try await withTemporaryDirectory { directory in
            let down = ScriptedGateway(reachable: { _ in false })
            let orders = try await withOrderSystem(in: directory, gateway: down) { system in
                var orders: [OrderRecord] = []
                for _ in 0..<10 { orders.append(try await system.create(.make())) }
                try await eventually("a retry") { down.ledger.unreachableCalls >= 10 }
                return orders
            }
            let up = ScriptedGateway()
            try await withOrderSystem(in: directory, gateway: up) { system in
                try await eventually("all delivered") {
                    var done = true
                    for order in orders where try await system.order(id: order.id).state != .delivered { done = false }
                    return done
                }
            }
            #expect(up.ledger.decisions.count == 10)
        }
    }
}
