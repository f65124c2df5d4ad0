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
    /// through NOTIFY and a re-read of the order; on SQLite in-process), never going back.
    /// (Over NOTIFY, transitions closer together than a notification's trip may arrive as the
    /// latest state only; an order's transitions are seconds apart.)
    @Test(arguments: StoreBackend.tested)
    func watcherSeesChangesCommittedByAnotherReplica(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let (writer, watcher) = (stores[0], stores[1])
                let order = try NewOrder.make()
                _ = try await writer.create(order)
                let changes = ChangeCollector(watcher.changes(of: order.id))
                _ = try await writer.write(.confirm(order.id, now: 2_000))
                #expect(try await changes.change(version: 2) == OrderChange(
                    orderID: order.id, state: .confirmed, cancelReason: nil, paymentID: "pay-\(order.id)", deliverAt: 7_000,
                    updatedAt: 2_000, version: 2
                ))
                _ = try await writer.write(OrderWrite(orderID: order.id, transition: .init(from: .confirmed, to: .delivered), now: 3_000))
                #expect(try await changes.change(version: 3) == OrderChange(
                    orderID: order.id, state: .delivered, cancelReason: nil, paymentID: "pay-\(order.id)", deliverAt: 7_000,
                    updatedAt: 3_000, version: 3
                ))
                // A change may arrive twice (committed here and announced by NOTIFY), never out of order.
                let versions = changes.all.map(\.version)
                #expect(versions == versions.sorted())
            }
        }
    }

    /// The LISTEN connection drops; a change committed while it is down still reaches the
    /// watcher, because the reconnected listener re-reads the watched orders.
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
                        let rows = try await admin.rows("""
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
                #expect(Set(sqliteShapes.keys) == ["orders", "order_items", "payment_jobs", "idempotency_keys", "schema_migrations"])
                for (table, shape) in sqliteShapes { #expect(postgresShapes[table] == shape, "table \(table)") }
                #expect(Set(postgresShapes.keys) == Set(sqliteShapes.keys))
                let versions = try await PostgresTestDatabase.withAdmin { admin in
                    try await admin.rows(PostgresQuery(unsafeSQL: "SELECT version, name FROM \(schema).schema_migrations ORDER BY version"))
                        .map { row in let row = row.makeRandomAccess(); return "\(try row.int64("version")) \(try row.text("name"))" }
                }
                #expect(versions == OrderSchema.migrations.map { "\($0.version) \($0.name)" })
            }
        }
    }
}
