import StoreTestSupport
import Testing
@testable import Orders

/// The Orders store contract (`OrderStore`'s rules), one set of cases run on SQLite and on
/// PostgreSQL. Cases that involve "another replica" use two store instances on PostgreSQL
/// and the one store on SQLite (see `OrderStoreDatabase`).
@Suite("Order store contract")
struct OrderStoreContractTests {
    @Test(arguments: StoreBackend.tested)
    func createdOrderReadsBackAfterReopen(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let order = try NewOrder.make()
            let created = try await database.withStore { try await $0.create(order) }
            #expect(created == CreateResult(order: order.record, isNew: true))
            let read = try await database.withStore { try await $0.order(id: order.id) }
            #expect(read == order.record)
            #expect(read?.items == order.draft.items)
            #expect(try await database.withStore { try await $0.order(id: "no-such-order") } == nil)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func createWritesTheChargeJobWithTheOrder(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let order = try NewOrder.make()
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
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func concurrentCreatesFromTwoReplicasAreAllStored(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let orders = try (0..<200).map { _ in try NewOrder.make() }
            try await database.withStores(2) { stores in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, order) in orders.enumerated() {
                        group.addTask { _ = try await stores[index % 2].create(order) }
                    }
                    try await group.waitForAll()
                }
            }
            try await database.withStore { (store) async throws in
                for order in orders { #expect(try await store.order(id: order.id) == order.record) }
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func listPagesNewestFirstAndFilters(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                var orders: [OrderRecord] = []
                for index in 0..<25 {
                    // Pairs share a creation time: the id breaks the tie.
                    let order = try NewOrder.make(.make(customerID: index % 2 == 0 ? "cust-a" : "cust-b"), now: 1_000 + Int64(index / 2))
                    _ = try await store.create(order)
                    var record = order.record
                    if index % 3 == 0 {
                        guard case .applied(let change?) = try await store.write(.confirm(order.id, now: 5_000)) else {
                            Issue.record("confirm did not apply")
                            return
                        }
                        record = record.applying(change)
                    }
                    orders.append(record)
                }
                let newestFirst = orders.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                #expect(try await Self.allPages(of: OrderListQuery(pageSize: 7), in: store) == newestFirst)
                #expect(try await Self.allPages(of: OrderListQuery(pageSize: 100), in: store) == newestFirst)
                #expect(
                    try await Self.allPages(of: OrderListQuery(pageSize: 4, state: .confirmed), in: store)
                        == newestFirst.filter { $0.state == .confirmed })
                #expect(
                    try await Self.allPages(of: OrderListQuery(pageSize: 5, customerID: "cust-b"), in: store)
                        == newestFirst.filter { $0.customerID == "cust-b" })
                #expect(
                    try await Self.allPages(of: OrderListQuery(pageSize: 3, state: .created, customerID: "cust-a"), in: store)
                        == newestFirst.filter { $0.state == .created && $0.customerID == "cust-a" })
                #expect(try await store.list(OrderListQuery(pageSize: 10, state: .delivered)) == OrderPage(orders: [], next: nil))

                // A page token stays valid when newer orders arrive: they sort before it.
                let first = try await store.list(OrderListQuery(pageSize: 10))
                _ = try await store.create(try NewOrder.make(now: 9_000))
                let second = try await store.list(OrderListQuery(pageSize: 10, after: first.next))
                #expect(second.orders == Array(newestFirst[10..<20]))
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func idempotencyKeyReturnsTheFirstOrderOrRefusesAnotherPayload(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let first = try await store.create(try NewOrder.make(.make(requestID: "key-1")))
                let again = try await store.create(try NewOrder.make(.make(requestID: "key-1"), now: 2_000))
                #expect(first.isNew)
                #expect(again == CreateResult(order: first.order, isNew: false))
                await #expect(throws: OrderError.requestIDReused(requestID: "key-1")) {
                    try await store.create(try NewOrder.make(.make(requestID: "key-1", quantity: 3)))
                }
                // The refused create wrote nothing: one order, one job.
                #expect(try await store.list(OrderListQuery(pageSize: 10)).orders == [first.order])
                #expect(try await store.claimDueJobs(now: .max - 1, leaseUntil: .max, limit: 10).count == 1)
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func oneKeyRacedFromTwoReplicasMakesOneOrder(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let results = try await withThrowingTaskGroup(of: Result<CreateResult, OrderError>.self) { group in
                    for index in 0..<40 {
                        // 20 identical retries, 20 with another payload under the same key.
                        let request = OrderRequest.make(requestID: "shared", quantity: index % 2 == 0 ? 1 : 5)
                        group.addTask {
                            do { return .success(try await stores[index / 2 % 2].create(try NewOrder.make(request))) } catch let error as OrderError {
                                return .failure(error)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let created = results.compactMap { try? $0.get() }
                #expect(Set(created.map(\.order.id)).count == 1)
                #expect(created.filter(\.isNew).count == 1)
                #expect(created.count == 20)
                #expect(results.filter { $0 == .failure(.requestIDReused(requestID: "shared")) }.count == 20)
                #expect(try await stores[0].list(OrderListQuery(pageSize: 100)).orders.count == 1)
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func purgeFreesOnlyOldKeys(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                _ = try await store.create(try NewOrder.make(.make(requestID: "old"), now: 1_000))
                _ = try await store.create(try NewOrder.make(.make(requestID: "new"), now: 5_000))
                #expect(try await store.purgeIdempotencyKeys(createdBefore: 2_000) == 1)
                #expect(try await store.purgeIdempotencyKeys(createdBefore: 2_000) == 0)
                #expect(try await store.create(try NewOrder.make(.make(requestID: "old", quantity: 9), now: 6_000)).isNew)
                await #expect(throws: OrderError.requestIDReused(requestID: "new")) {
                    try await store.create(try NewOrder.make(.make(requestID: "new", quantity: 9)))
                }
            }
        }
    }

    /// Every page of a query, following the cursors.
    static func allPages(of query: OrderListQuery, in store: any OrderStore) async throws -> [OrderRecord] {
        var query = query
        var orders: [OrderRecord] = []
        while true {
            let page = try await store.list(query)
            #expect(page.orders.count <= query.pageSize)
            orders += page.orders
            guard let next = page.next else { return orders }
            query.after = next
        }
    }
}

extension OrderWrite {
    /// Payment approved: created → confirmed, the charge job done.
    static func confirm(_ orderID: String, now: Int64, deliverAt: Int64 = 7_000) -> OrderWrite {
        OrderWrite(
            orderID: orderID, transition: .init(from: .created, to: .confirmed, paymentID: "pay-\(orderID)", deliverAt: deliverAt),
            completesJob: .charge, now: now)
    }
}
