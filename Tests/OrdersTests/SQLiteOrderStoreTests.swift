import Testing
@testable import Orders

@Suite("SQLite order store")
struct SQLiteOrderStoreTests {
    static func newOrder(_ request: OrderRequest = .make(), now: Int64 = 1_000) throws -> NewOrder {
        NewOrder(
            id: OrderIdentifier.make(now: now), draft: try OrderDraft(validating: request), createdAt: now,
            paymentDeadline: now + 60_000, firstAttemptLease: now + 3_000)
    }

    @Test func createThenReadBackAfterReopen() async throws {
        try await withTemporaryDirectory { directory in
            let order = try Self.newOrder()
            let created = try await withOrderStore(in: directory) { store in try await store.create(order) }
            #expect(created.isNew)
            #expect(created.order == order.record)
            let read = try await withOrderStore(in: directory) { store in try await store.order(id: order.id) }
            #expect(read == order.record)
            #expect(read?.items.count == 2)
            #expect(read?.totalCents == 599)
        }
    }

    @Test func createWritesTheChargeJobInTheSameTransaction() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let order = try Self.newOrder()
                _ = try await store.create(order)
                #expect(try await store.earliestJobDue() == order.firstAttemptLease)
                #expect(try await store.claimDueJobs(now: order.firstAttemptLease - 1, leaseUntil: 9_999, limit: 10).isEmpty)
                let jobs = try await store.claimDueJobs(now: order.firstAttemptLease, leaseUntil: 9_999, limit: 10)
                #expect(
                    jobs == [
                        PaymentJob(
                            orderID: order.id, kind: .charge, attempts: 0, nextAttemptAt: 9_999,
                            deadlineAt: order.paymentDeadline, amountCents: 599, currency: "EUR",
                            customerID: "cust-1", paymentToken: "tok_approve")
                    ])
                // Leased: not handed out again before the lease ends.
                #expect(try await store.claimDueJobs(now: 9_998, leaseUntil: 20_000, limit: 10).isEmpty)
                try await store.rescheduleJob(orderID: order.id, kind: .charge, attempts: 1, nextAttemptAt: 5_000)
                #expect(try await store.claimDueJobs(now: 5_000, leaseUntil: 20_000, limit: 10).map(\.attempts) == [1])
            }
        }
    }

    @Test func sameKeySamePayloadReturnsTheFirstOrder() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let first = try await store.create(try Self.newOrder(.make(requestID: "key-1")))
                let again = try await store.create(try Self.newOrder(.make(requestID: "key-1"), now: 2_000))
                #expect(first.isNew)
                #expect(!again.isNew)
                #expect(again.order == first.order)
                await #expect(throws: OrderError.requestIDReused(requestID: "key-1")) {
                    try await store.create(try Self.newOrder(.make(requestID: "key-1", quantity: 3)))
                }
            }
        }
    }

    @Test func duplicateKeysInOneBatchResolveToOneOrder() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let results = try await withThrowingTaskGroup(of: Result<CreateResult, OrderError>.self) { group in
                    for index in 0..<40 {
                        // 20 identical retries, 20 with a different payload under the same key.
                        let request = OrderRequest.make(requestID: "shared", quantity: index % 2 == 0 ? 1 : 5)
                        group.addTask {
                            do { return .success(try await store.create(try Self.newOrder(request))) } catch let error as OrderError { return .failure(error) }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let created = results.compactMap { try? $0.get() }
                #expect(Set(created.map(\.order.id)).count == 1)
                #expect(created.filter(\.isNew).count == 1)
                #expect(created.count == 20)
                #expect(results.filter { if case .failure(.requestIDReused) = $0 { true } else { false } }.count == 20)
            }
        }
    }

    @Test func concurrentCreatesAreAllDurable() async throws {
        try await withTemporaryDirectory { directory in
            let orders = try (0..<300).map { _ in try Self.newOrder() }
            try await withOrderStore(in: directory) { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for order in orders { group.addTask { _ = try await store.create(order) } }
                    try await group.waitForAll()
                }
            }
            try await withOrderStore(in: directory) { store in
                for order in orders {
                    let read = try await store.order(id: order.id)
                    #expect(read == order.record)
                }
            }
        }
    }

    @Test func conditionalWriteAppliesOnceAndReportsConflicts() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let order = try Self.newOrder()
                _ = try await store.create(order)
                let confirm = OrderWrite(
                    orderID: order.id, transition: .init(from: .created, to: .confirmed, paymentID: "pay-1", deliverAt: 7_000),
                    completesJob: .charge, now: 2_000)
                guard case .applied(let change?) = try await store.write(confirm) else {
                    Issue.record("confirm did not apply")
                    return
                }
                #expect(
                    change
                        == OrderChange(
                            orderID: order.id, state: .confirmed, cancelReason: nil, paymentID: "pay-1",
                            deliverAt: 7_000, updatedAt: 2_000, version: 2))
                #expect(try await store.earliestJobDue() == nil)
                // The same transition again finds the order no longer created.
                #expect(try await store.write(confirm) == .conflict)
                let cancel = OrderWrite(
                    orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested),
                    addsRefund: .init(paymentID: nil, reason: "x", firstAttemptLease: 1), now: 3_000)
                #expect(try await store.write(cancel) == .conflict)
                // A conflict writes nothing: no refund job appeared.
                #expect(try await store.earliestJobDue() == nil)
                #expect(try await store.order(id: order.id)?.state == .confirmed)
            }
        }
    }

    @Test(arguments: [0, SQLiteOrderStore.defaultOrderCacheSize])
    func readsAreCurrentWithOrWithoutTheOrderCache(orderCacheSize: Int) async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory, orderCacheSize: orderCacheSize) { store in
                let order = try Self.newOrder()
                _ = try await store.create(order)
                // With no cache every read is a query; with one, the new order is held from its commit.
                #expect((store.cachedOrder(id: order.id) == nil) == (orderCacheSize == 0))
                #expect(try await store.order(id: order.id) == order.record)
                let confirm = OrderWrite(
                    orderID: order.id, transition: .init(from: .created, to: .confirmed, paymentID: "pay-1", deliverAt: 7_000),
                    completesJob: .charge, now: 2_000)
                guard case .applied = try await store.write(confirm) else {
                    Issue.record("confirm did not apply")
                    return
                }
                let read = try await store.order(id: order.id)
                #expect(read?.state == .confirmed && read?.version == 2 && read?.paymentID == "pay-1")
                #expect((store.cachedOrder(id: order.id) == nil) == (orderCacheSize == 0))
            }
        }
    }

    @Test func refundJobIsAddedOncePerOrder() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let order = try Self.newOrder()
                _ = try await store.create(order)
                let refund = OrderWrite(
                    orderID: order.id, transition: nil, completesJob: .charge,
                    addsRefund: .init(paymentID: "pay-1", reason: "r", firstAttemptLease: 10), now: 5)
                _ = try await store.write(refund)
                _ = try await store.write(refund)
                let jobs = try await store.claimDueJobs(now: 10, leaseUntil: 100, limit: 10)
                #expect(jobs.map(\.kind) == [.refund])
                #expect(jobs.first?.paymentID == "pay-1")
            }
        }
    }

    @Test func dueDeliveriesAreConfirmedOrdersPastTheirTime() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let early = try Self.newOrder()
                let late = try Self.newOrder()
                let open = try Self.newOrder()
                for order in [early, late, open] { _ = try await store.create(order) }
                for (order, at) in [(early, Int64(5_000)), (late, 9_000)] {
                    _ = try await store.write(
                        OrderWrite(orderID: order.id, transition: .init(from: .created, to: .confirmed, paymentID: "p", deliverAt: at), now: 1_500))
                }
                #expect(try await store.earliestDelivery() == 5_000)
                #expect(try await store.dueDeliveries(now: 4_999, limit: 10) == [])
                #expect(try await store.dueDeliveries(now: 9_000, limit: 10) == [early.id, late.id])
            }
        }
    }

    /// The earliest delivery reads confirmed orders by `deliver_at` and looks past the leased
    /// ones: within its first window, and past a window that holds nothing but leased orders.
    @Test func earliestDeliveryLooksPastLeasedDeliveries() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let count = SQLiteOrderStore.earliestDeliveryWindow + 2
                let orders = try (0..<count).map { _ in try Self.newOrder() }
                // Concurrent, so the writer commits them in a few batches.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for order in orders { group.addTask { _ = try await store.create(order) } }
                    try await group.waitForAll()
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, order) in orders.enumerated() {
                        let confirm = OrderWrite(
                            orderID: order.id, transition: .init(from: .created, to: .confirmed, paymentID: "p", deliverAt: 2_000 + Int64(index)),
                            now: 1_500)
                        group.addTask { _ = try await store.write(confirm) }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.earliestDelivery() == 2_000)
                // Two deliveries in flight: the third order is next.
                #expect(try await store.claimDueDeliveries(now: 2_001, leaseUntil: 80_000, limit: 10).count == 2)
                #expect(try await store.earliestDelivery() == 2_002)
                // Every order of the window leased, and one more: the last order is next.
                let leased = try await store.claimDueDeliveries(now: 10_000, leaseUntil: 80_000, limit: count - 3)
                #expect(leased.count == count - 3)
                #expect(try await store.earliestDelivery() == 2_000 + Int64(count - 1))
                // All leased: the earliest lease end.
                #expect(try await store.claimDueDeliveries(now: 10_000, leaseUntil: 90_000, limit: 10).count == 1)
                #expect(try await store.earliestDelivery() == 80_000)
            }
        }
    }

    @Test func changesAreDeliveredToSubscribersAfterCommit() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let order = try Self.newOrder()
                _ = try await store.create(order)
                let changes = store.changes(of: order.id)
                _ = try await store.write(
                    OrderWrite(orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested), now: 2))
                var iterator = changes.makeAsyncIterator()
                let change = await iterator.next()
                #expect(change?.state == .cancelled)
                #expect(change?.cancelReason == .userRequested)
                #expect(change?.version == 2)
            }
        }
    }

    @Test func purgeRemovesOnlyOldKeys() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                _ = try await store.create(try Self.newOrder(.make(requestID: "old"), now: 1_000))
                _ = try await store.create(try Self.newOrder(.make(requestID: "new"), now: 5_000))
                #expect(try await store.purgeIdempotencyKeys(createdBefore: 2_000) == 1)
                // The old key is free again; the new one still guards its order.
                #expect(try await store.create(try Self.newOrder(.make(requestID: "old", quantity: 9), now: 6_000)).isNew)
                await #expect(throws: OrderError.self) { try await store.create(try Self.newOrder(.make(requestID: "new", quantity: 9))) }
            }
        }
    }

    @Test func concurrentTransitionsOnTheSameOrdersApplyExactlyOnce() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let orders = try (0..<60).map { _ in try Self.newOrder() }
                for order in orders { _ = try await store.create(order) }
                // Per order, a confirmation and a cancel race from `created`; each completes the
                // charge job, the cancel also adds a refund job. Plus a write for no order at all.
                let outcomes = try await withThrowingTaskGroup(of: (String, String, OrderWrite.Outcome).self) { group in
                    for order in orders {
                        group.addTask {
                            let confirm = OrderWrite(
                                orderID: order.id, transition: .init(from: .created, to: .confirmed, paymentID: "p", deliverAt: 9),
                                completesJob: .charge, now: 2)
                            return (order.id, "confirm", try await store.write(confirm))
                        }
                        group.addTask {
                            let cancel = OrderWrite(
                                orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested),
                                completesJob: .charge, addsRefund: .init(paymentID: nil, reason: "r", firstAttemptLease: 1), now: 2)
                            return (order.id, "cancel", try await store.write(cancel))
                        }
                    }
                    group.addTask {
                        ("missing", "confirm", try await store.write(OrderWrite(orderID: "missing", transition: .init(from: .created, to: .confirmed), now: 2)))
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.first { $0.0 == "missing" }?.2 == .conflict)
                var cancelledIDs: Set<String> = []
                for order in orders {
                    let mine = outcomes.filter { $0.0 == order.id }
                    let winners = mine.filter { $0.2 != .conflict }
                    #expect(winners.count == 1, "exactly one of the two transitions applies")
                    let stored = try #require(try await store.order(id: order.id))
                    #expect(stored.version == 2)
                    if winners.first?.1 == "cancel" {
                        #expect(stored.state == .cancelled)
                        cancelledIDs.insert(order.id)
                    } else {
                        #expect(stored.state == .confirmed)
                    }
                }
                // Charge jobs all done; a refund job exactly for the cancelled orders.
                let jobs = try await store.claimDueJobs(now: .max, leaseUntil: 0, limit: 1000)
                #expect(jobs.allSatisfy { $0.kind == .refund })
                #expect(Set(jobs.map(\.orderID)) == cancelledIDs)
            }
        }
    }

    @Test func rescheduledJobsKeepTheirOwnTimes() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                let orders = try (0..<20).map { _ in try Self.newOrder() }
                for order in orders { _ = try await store.create(order) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, order) in orders.enumerated() {
                        group.addTask { try await store.rescheduleJob(orderID: order.id, kind: .charge, attempts: index, nextAttemptAt: Int64(100 + index)) }
                    }
                    try await group.waitForAll()
                }
                let jobs = try await store.claimDueJobs(now: 109, leaseUntil: 5_000, limit: 100)
                #expect(Set(jobs.map(\.orderID)) == Set(orders.prefix(10).map(\.id)))
                #expect(Set(jobs.map(\.attempts)) == Set(0..<10))
            }
        }
    }
}
