import PostgresNIO
import PostgresSupport
import StoreTestSupport
import Testing
@testable import Orders
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OrderStoreContractTests {
    /// A watcher on one replica sees the transitions another replica commits (on PostgreSQL
    /// through NOTIFY and the order's events; on SQLite in-process), each once, in order.
    @Test(arguments: StoreBackend.tested)
    func watcherSeesChangesCommittedByAnotherReplica(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let (writer, watcher) = (stores[0], stores[1])
                let order = try NewOrder.make()
                _ = try await writer.create(order)
                let changes = ChangeCollector(watcher.changes(of: order.id))
                _ = try await writer.write(.confirm(order.id, now: 2_000))
                #expect(
                    try await changes.change(version: 2)
                        == OrderChange(
                            orderID: order.id, state: .confirmed, cancelReason: nil, paymentID: "pay-\(order.id)", deliverAt: 7_000,
                            updatedAt: 2_000, version: 2
                        ))
                _ = try await writer.write(OrderWrite(orderID: order.id, transition: .init(from: .confirmed, to: .delivered), now: 3_000))
                #expect(
                    try await changes.change(version: 3)
                        == OrderChange(
                            orderID: order.id, state: .delivered, cancelReason: nil, paymentID: "pay-\(order.id)", deliverAt: 7_000,
                            updatedAt: 3_000, version: 3
                        ))
                #expect(changes.all.map(\.version) == [2, 3])
            }
        }
    }

    /// Transitions committed back to back on one replica, faster than a NOTIFY round trip,
    /// reach a watcher on another replica as every state the order passed through, in order,
    /// each with the fields it had at that transition (not just the latest state).
    @Test(arguments: StoreBackend.tested)
    func watcherOnAnotherReplicaSeesEveryStateOfFastTransitions(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let (writer, watcher) = (stores[0], stores[1])
                var watched: [(order: NewOrder, changes: ChangeCollector)] = []
                for _ in 0..<8 {
                    let order = try NewOrder.make()
                    _ = try await writer.create(order)
                    watched.append((order, ChangeCollector(watcher.changes(of: order.id))))
                }
                // created → confirmed → cancelled (a refund), no waiting in between.
                for (order, _) in watched {
                    _ = try await writer.write(.confirm(order.id, now: 2_000))
                    let cancel = OrderWrite.Transition(from: .confirmed, to: .cancelled, cancelReason: .userRequested)
                    #expect(try await writer.write(OrderWrite(orderID: order.id, transition: cancel, now: 2_001)) != .conflict)
                }
                for (order, changes) in watched {
                    _ = try await changes.change(version: 3)
                    #expect(
                        changes.all == [
                            OrderChange(
                                orderID: order.id, state: .confirmed, cancelReason: nil, paymentID: "pay-\(order.id)",
                                deliverAt: 7_000, updatedAt: 2_000, version: 2),
                            OrderChange(
                                orderID: order.id, state: .cancelled, cancelReason: .userRequested, paymentID: "pay-\(order.id)",
                                deliverAt: 7_000, updatedAt: 2_001, version: 3),
                        ])
                }
            }
        }
    }

    /// Order events (the change log other replicas' watchers read) are pruned by age, with the
    /// order feed's entries (the creation's too).
    @Test(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func orderEventsArePrunedByAge() async throws {
        try await withOrderDatabase(.postgres) { database in
            try await database.withStore { store in
                let order = try NewOrder.make()
                _ = try await store.create(order)
                _ = try await store.write(.confirm(order.id, now: 2_000))
                _ = try await store.write(OrderWrite(orderID: order.id, transition: .init(from: .confirmed, to: .delivered), now: 5_000))
                // The confirmation's event, and the feed's creation and confirmation.
                #expect(try await store.purgeOrderEvents(before: 3_000) == 3)
                #expect(try await store.purgeOrderEvents(before: 3_000) == 0)
                #expect(try await store.purgeOrderEvents(before: 6_000) == 2)
            }
        }
    }

    /// The LISTEN connection drops; a change committed while it is down still reaches the
    /// watcher, because the reconnected listener catches up on the watched orders.
    @Test(arguments: StoreBackend.testedAcrossInstances)
    func watcherCatchesUpAfterTheListenConnectionDrops(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let name = "orderhub-tests-" + UUID().uuidString.prefix(8).lowercased()
            try await database.withStores(1) { writers in
                try await database.withStores(1, postgres: .test(applicationName: name, reconnectDelay: .seconds(1))) { watchers in
                    let watcher = try #require(watchers[0] as? PostgresOrderStore)
                    let order = try NewOrder.make()
                    _ = try await writers[0].create(order)
                    let changes = ChangeCollector(watcher.changes(of: order.id))
                    try await eventually("the watcher listens") { watcher.listenerConnectCount == 1 }
                    try await PostgresTestDatabase.withAdmin { admin in
                        // Waits (up to 5 s) until the backend is gone: the next NOTIFY finds nobody.
                        let rows = try await admin.rows(
                            """
                            SELECT pg_terminate_backend(pid, 5000) AS gone FROM pg_stat_activity
                            WHERE application_name = \(name) AND query LIKE 'LISTEN%'
                            """)
                        #expect(rows.count == 1)
                    }
                    _ = try await writers[0].write(.confirm(order.id, now: 2_000))
                    let change = try await changes.change(version: 2)
                    #expect(change.state == .confirmed)
                    #expect(watcher.listenerConnectCount == 2)
                }
            }
        }
    }

    /// Both databases get the same tables, columns, indexes and migration versions.
    @Test(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func bothDatabasesHaveTheSameSchema() async throws {
        try await withOrderDatabase(.sqlite) { sqlite in
            try await withOrderDatabase(.postgres) { postgres in
                try await sqlite.withStore { _ in }
                try await postgres.withStore { _ in }
                guard case .sqlite(let path) = sqlite.location, case .postgres(let url) = postgres.location, let schema = url.schema else {
                    Issue.record("unexpected locations")
                    return
                }
                let sqliteShapes = try await TableShape.sqlite(path: path)
                let postgresShapes = try await PostgresTestDatabase.withAdmin { try await TableShape.postgres(schema: schema, on: $0) }
                #expect(
                    Set(sqliteShapes.keys) == [
                        "orders", "order_items", "payment_jobs", "idempotency_keys", "order_events", "order_feed", "order_feed_head", "schema_migrations",
                    ])
                for (table, shape) in sqliteShapes { #expect(postgresShapes[table] == shape, "table \(table)") }
                #expect(Set(postgresShapes.keys) == Set(sqliteShapes.keys))
                let versions = try await PostgresTestDatabase.withAdmin { admin in
                    try await admin.rows(PostgresQuery(unsafeSQL: "SELECT version, name FROM \(schema).schema_migrations ORDER BY version"))
                        .map { row in
                            let row = row.makeRandomAccess(); return "\(try row.int64("version")) \(try row.text("name"))"
                        }
                }
                #expect(versions == OrderSchema.migrations.map { "\($0.version) \($0.name)" })
            }
        }
    }
}
