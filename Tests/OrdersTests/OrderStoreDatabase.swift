import Logging
import PostgresSupport
import StorageSupport
import StoreTestSupport
@testable import Orders
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh Orders database on one backend for one contract case, and the stores a case opens
/// on it. On PostgreSQL every store is its own instance (its own pool and LISTEN connection),
/// standing in for another replica; on SQLite one process owns the file, so "another replica"
/// is the same store.
struct OrderStoreDatabase: Sendable {
    let backend: StoreBackend
    let location: StoreLocation

    /// Runs `body` with `count` stores on the database and closes them afterwards.
    func withStores<T>(
        _ count: Int, postgres config: PostgresOrderStore.Config = .test(), _ body: ([any OrderStore]) async throws -> T
    ) async throws -> T {
        var stores: [any OrderStore] = []
        do {
            switch location {
            case .sqlite(let path):
                let store = try await SQLiteOrderStore.open(path: path, logger: .test)
                stores = Array(repeating: store, count: count)
                let result = try await body(stores)
                try await store.close()
                return result
            case .postgres(let url):
                for _ in 0..<count { stores.append(try await PostgresOrderStore.open(url: url, config: config, logger: .test)) }
                let result = try await body(stores)
                for store in stores { try await store.close() }
                return result
            }
        } catch {
            // SQLite repeats one store: close each instance once.
            for store in backend.sharesAcrossInstances ? stores : Array(stores.prefix(1)) { try? await store.close() }
            throw error
        }
    }

    /// One store on the database.
    func withStore<T>(_ body: (any OrderStore) async throws -> T) async throws -> T {
        try await withStores(1) { try await body($0[0]) }
    }
}

/// Runs `body` on a new, empty Orders database, removed afterwards.
func withOrderDatabase<T>(_ backend: StoreBackend, _ body: (OrderStoreDatabase) async throws -> T) async throws -> T {
    switch backend {
    case .sqlite:
        try await withTemporaryDirectory { directory in
            try await body(OrderStoreDatabase(backend: backend, location: .sqlite(path: directory + "/orders.db")))
        }
    case .postgres:
        try await PostgresTestDatabase.withFreshSchema { url in
            try await body(OrderStoreDatabase(backend: backend, location: .postgres(url)))
        }
    }
}

extension PostgresOrderStore.Config {
    /// Small pools (cases run in parallel on one server) and a name to find the store's
    /// connections by in `pg_stat_activity`.
    static func test(applicationName: String = "orderhub-tests", reconnectDelay: Duration = .milliseconds(100)) -> Self {
        PostgresOrderStore.Config(
            storage: .init(maxConnections: 4, applicationName: applicationName),
            listener: .init(heartbeatInterval: .seconds(30), reconnectDelay: reconnectDelay)
        )
    }
}

extension NewOrder {
    /// A valid new order created at `now`, due for its first payment attempt at `now` + 3 s.
    static func make(_ request: OrderRequest = .make(), now: Int64 = 1_000, traceContext: JobTraceContext? = nil) throws -> NewOrder {
        NewOrder(
            id: OrderIdentifier.make(now: now), draft: try OrderDraft(validating: request), createdAt: now,
            paymentDeadline: now + 60_000, firstAttemptLease: now + 3_000, traceContext: traceContext)
    }
}
