import Logging
import StoreTestSupport
import Synchronization
import Testing
@testable import Orders

extension OrderStoreContractTests {
    /// Two claimers (two replicas) take due jobs at the same time, a few at a time, until none
    /// is left: every job is handed out, none twice.
    @Test(arguments: StoreBackend.tested)
    func concurrentClaimersEachGetDifferentJobs(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let orders = try (0..<150).map { _ in try NewOrder.make() }
                for order in orders { _ = try await stores[0].create(order) }
                let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                    for claimer in 0..<4 {
                        group.addTask {
                            var mine: [String] = []
                            while true {
                                let jobs = try await stores[claimer % 2].claimDueJobs(now: 5_000, leaseUntil: 100_000, limit: 7)
                                if jobs.isEmpty { return mine }
                                mine += jobs.map(\.orderID)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let all = claimed.flatMap { $0 }
                #expect(all.count == orders.count)
                #expect(Set(all) == Set(orders.map(\.id)))
            }
        }
    }

    /// A claim is a lease: nobody gets the job again before it ends (its holder is working on
    /// it), anybody may after (its holder crashed). Rescheduling ends the lease early.
    @Test(arguments: StoreBackend.tested)
    func jobLeaseExpiresAndTheJobIsClaimedAgain(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let order = try NewOrder.make()
                _ = try await stores[0].create(order)
                let first = try await stores[0].claimDueJobs(now: 4_000, leaseUntil: 10_000, limit: 10)
                #expect(first.map(\.orderID) == [order.id])
                #expect(try await stores[1].earliestJobDue() == 10_000)
                #expect(try await stores[1].claimDueJobs(now: 9_999, leaseUntil: 20_000, limit: 10).isEmpty)
                let second = try await stores[1].claimDueJobs(now: 10_000, leaseUntil: 20_000, limit: 10)
                #expect(second.map(\.orderID) == [order.id])
                #expect(second.first?.nextAttemptAt == 20_000)
                try await stores[1].rescheduleJob(orderID: order.id, kind: .charge, attempts: 1, nextAttemptAt: 12_000)
                let third = try await stores[0].claimDueJobs(now: 12_000, leaseUntil: 30_000, limit: 10)
                #expect(third.map(\.attempts) == [1])
            }
        }
    }

    /// Deliveries: only confirmed orders past `deliver_at`, earliest first, each to one
    /// claimer until its lease ends.
    @Test(arguments: StoreBackend.tested)
    func deliveryClaimsAreLeases(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let early = try NewOrder.make()
                let late = try NewOrder.make()
                let cancelled = try NewOrder.make()
                let open = try NewOrder.make()
                for order in [early, late, cancelled, open] { _ = try await stores[0].create(order) }
                _ = try await stores[0].write(.confirm(late.id, now: 1_500, deliverAt: 6_000))
                _ = try await stores[0].write(.confirm(early.id, now: 1_500, deliverAt: 5_000))
                _ = try await stores[0].write(.confirm(cancelled.id, now: 1_500, deliverAt: 4_000))
                _ = try await stores[0].write(
                    OrderWrite(orderID: cancelled.id, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested), now: 1_600))
                #expect(try await stores[1].earliestDelivery() == 5_000)
                #expect(try await stores[1].claimDueDeliveries(now: 4_999, leaseUntil: 50_000, limit: 10) == [])
                #expect(try await stores[1].claimDueDeliveries(now: 6_000, leaseUntil: 50_000, limit: 10) == [early.id, late.id])
                #expect(try await stores[0].claimDueDeliveries(now: 49_999, leaseUntil: 90_000, limit: 10) == [])
                #expect(try await stores[0].earliestDelivery() == 50_000)
                // The holder delivered one and crashed before the other.
                _ = try await stores[1].write(OrderWrite(orderID: early.id, transition: .init(from: .confirmed, to: .delivered), now: 7_000))
                #expect(try await stores[0].claimDueDeliveries(now: 50_000, leaseUntil: 90_000, limit: 10) == [late.id])
            }
        }
    }

    /// Two delivery schedulers (two replicas) over the same due orders: every order is
    /// delivered, each by one write, and no scheduler even tries an order the other claimed.
    @Test(arguments: StoreBackend.tested)
    func twoSchedulersDeliverEachOrderOnce(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let clock = WallClock.system
                let orders = try (0..<60).map { _ in try NewOrder.make(now: clock.now()) }
                for order in orders {
                    _ = try await stores[0].create(order)
                    _ = try await stores[0].write(.confirm(order.id, now: clock.now(), deliverAt: clock.now() - 1))
                }
                let recorders = stores.map { RecordingOrderStore(base: $0) }
                let schedulers = recorders.map {
                    DeliveryScheduler(store: $0, config: .init(pollInterval: .milliseconds(20), batchSize: 4), clock: clock, logger: .test)
                }
                for scheduler in schedulers { scheduler.start() }
                try await eventually("every order delivered") {
                    try await Self.allPages(of: OrderListQuery(pageSize: 100, state: .delivered), in: stores[0]).count == orders.count
                }
                for scheduler in schedulers { await scheduler.shutdown() }
                let deliveries = recorders.flatMap(\.deliveries)
                #expect(deliveries.filter { $0.applied }.count == orders.count)
                #expect(Set(deliveries.map(\.orderID)) == Set(orders.map(\.id)))
                #expect(deliveries.filter { !$0.applied }.isEmpty, "a scheduler tried an order it had not claimed")
                for order in orders { #expect(try await stores[1].order(id: order.id)?.version == 3) }
            }
        }
    }
}
