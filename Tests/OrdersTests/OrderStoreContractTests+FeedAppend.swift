import Logging
import PostgresNIO
import PostgresSupport
import SQLiteSupport
import StorageSupport
import StoreTestSupport
import Testing
@testable import Orders

/// The writers append feed entries themselves (SQLite's triggers are gone since schema
/// version 6): a batch mixing creates and transitions numbers every entry once, each order's
/// versions in order; a database written by the triggers carries on numbering after them; and
/// pruning stops at the first recent entry.
extension OrderStoreContractTests {
    @Test(arguments: StoreBackend.tested)
    func feedOfBatchesMixingCreatesAndTransitionsHasEveryChangeOnceInOrder(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let existing = try (0..<12).map { _ in try NewOrder.make() }
                for order in existing { _ = try await store.create(order) }
                let start = try await store.feedPage(OrderFeedQuery(after: .max, limit: 0)).lastSeq
                let fresh = try (0..<12).map { _ in try NewOrder.make() }
                // Submitted together, so they meet in the writer's batches: creates, first and
                // second writes of one order (the second runs after the first, or conflicts).
                let applied = try await withThrowingTaskGroup(of: (String, Int64)?.self) { group in
                    for order in fresh {
                        group.addTask {
                            _ = try await store.create(order); return (order.id, 1)
                        }
                    }
                    for order in existing {
                        group.addTask { try await store.write(.confirm(order.id, now: 2_000)) == .conflict ? nil : (order.id, 2) }
                    }
                    for order in existing.prefix(6) {
                        group.addTask {
                            let cancel = OrderWrite(
                                orderID: order.id, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested), now: 2_100)
                            return try await store.write(cancel) == .conflict ? nil : (order.id, 3)
                        }
                    }
                    var applied: [(String, Int64)] = []
                    for try await entry in group { if let entry { applied.append(entry) } }
                    return applied
                }
                let page = try await store.feedPage(OrderFeedQuery(after: start, limit: 1_000))
                let seen = page.events.map { "\($0.order.id)@\($0.order.version)" }
                #expect(seen.sorted() == applied.map { "\($0.0)@\($0.1)" }.sorted())
                #expect(page.events.map(\.seq) == Array((start + 1)...(start + Int64(applied.count))))
                #expect(page.lastSeq == start + Int64(applied.count))
                for order in existing + fresh {
                    let versions = page.events.filter { $0.order.id == order.id }.map(\.order.version)
                    #expect(versions == versions.sorted())
                }
                for event in page.events where event.order.version == 3 {
                    #expect(event.order.state == .cancelled)
                    #expect(event.order.cancelReason == .userRequested)
                    #expect(event.order.customerID == "cust-1")
                }
                #expect(page.events.filter { $0.order.version == 2 }.allSatisfy { $0.order.state == .confirmed && $0.order.paymentID != nil })
            }
        }
    }

    /// Pruning removes the entries before the first recent one: an old entry after a recent
    /// one (a clock that went back) stays until the recent one is old too.
    @Test(arguments: StoreBackend.tested)
    func feedPruneStopsAtTheFirstRecentEntry(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let orders = try [1_000, 50_000, 2_000].map { try NewOrder.make(now: $0) }
                for order in orders { _ = try await store.create(order) }
                let all = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(try await store.purgeOrderEvents(before: 10_000) == 1)
                let after = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(after.prunedThrough == all.events[0].seq)
                #expect(after.events.map(\.order.id) == [orders[1].id, orders[2].id])
                #expect(try await store.purgeOrderEvents(before: 10_000) == 0)
                #expect(try await store.purgeOrderEvents(before: 60_000) == 2)
                let empty = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(empty.events.isEmpty)
                #expect(empty.prunedThrough == all.lastSeq)
                #expect(try await store.purgeOrderEvents(before: 60_000) == 0)
            }
        }
    }

    /// A database at schema version 5, whose feed the previous build wrote (by triggers on
    /// SQLite): the store migrates it, keeps its entries, and numbers new ones after them.
    @Test(arguments: StoreBackend.tested)
    func feedWrittenByTheVersion5SchemaCarriesOn(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let old = try NewOrder.make(.make(customerID: "old-customer"))
            try await Self.writeVersion5Feed(with: old, at: database.location)
            try await database.withStore { store in
                let before = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(before.events.map(\.seq) == [1, 2])
                #expect(before.events.map(\.order.version) == [1, 2])
                #expect(before.events.map(\.order.customerID) == ["old-customer", "old-customer"])
                let new = try NewOrder.make(now: 5_000)
                _ = try await store.create(new)
                let cancel = OrderWrite(
                    orderID: old.id, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested), now: 3_000)
                #expect(try await store.write(cancel) != .conflict)
                let page = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(page.events.map(\.seq) == [1, 2, 3, 4])
                #expect(page.events.map { "\($0.order.id)@\($0.order.version)" } == ["\(old.id)@1", "\(old.id)@2", "\(new.id)@1", "\(old.id)@3"])
                #expect(page.events[3].order.customerID == "old-customer")
                #expect(try await store.purgeOrderEvents(before: 2_500) == 2)
                #expect(try await store.feedPage(OrderFeedQuery(after: 0, limit: 100)).prunedThrough == 2)
            }
        }
    }

    /// Migrations 1–5 only, and one order created at 1 000 and confirmed at 2 000, with its feed
    /// entries written as that schema's writers wrote them.
    private static func writeVersion5Feed(with order: NewOrder, at location: StoreLocation) async throws {
        let insertOrder = """
            INSERT INTO orders (id, state, customer_id, total_cents, currency, created_at, updated_at, version)
            VALUES ('\(order.id)', 'created', '\(order.draft.customerID)', \(order.draft.totalCents), '\(order.draft.currency)',
                \(order.createdAt), \(order.createdAt), 1)
            """
        let confirm = "UPDATE orders SET state = 'confirmed', updated_at = 2000, version = 2 WHERE id = '\(order.id)'"
        switch location {
        case .sqlite(let path):
            // The triggers of version 4 append both entries.
            let storage = try await SQLiteStorage.open(path: path, migrations: Array(OrderSchema.migrations.prefix(5)), logger: .test)
            try await storage.writer.execute(insertOrder)
            try await storage.writer.execute(confirm)
            try await storage.close()
        case .postgres(let url):
            let storage = try await PostgresStorage.open(url: url, migrations: Array(OrderSchema.postgresMigrations.prefix(5)), logger: .test)
            try await storage.execute(PostgresQuery(unsafeSQL: insertOrder))
            try await storage.execute(PostgresQuery(unsafeSQL: confirm))
            try await storage.execute(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO order_feed (seq, order_id, customer_id, version, state, updated_at)
                        VALUES (1, '\(order.id)', '\(order.draft.customerID)', 1, 'created', \(order.createdAt)),
                            (2, '\(order.id)', '\(order.draft.customerID)', 2, 'confirmed', 2000)
                        """))
            try await storage.execute(PostgresQuery(unsafeSQL: "UPDATE order_feed_head SET last_seq = 2"))
            await storage.close()
        }
    }
}
