import Logging
import PostgresSupport
import StorageSupport
import StoreTestSupport
@testable import Payments
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh Payments database on one backend for one contract case. On PostgreSQL every store
/// is its own instance (another replica); on SQLite "another replica" is the same store.
struct PaymentStoreDatabase: Sendable {
    let backend: StoreBackend
    let location: StoreLocation

    /// Runs `body` with `count` stores on the database and closes them afterwards.
    func withStores<T>(_ count: Int, _ body: ([any PaymentStore]) async throws -> T) async throws -> T {
        var stores: [any PaymentStore] = []
        do {
            switch location {
            case .sqlite(let path):
                let store = try await SQLitePaymentStore.open(path: path, logger: PostgresTestDatabase.logger)
                stores = Array(repeating: store, count: count)
            case .postgres(let url):
                for _ in 0..<count {
                    stores.append(
                        try await PostgresPaymentStore.open(
                            url: url, config: .init(storage: .init(maxConnections: 4, applicationName: "orderhub-tests")),
                            logger: PostgresTestDatabase.logger
                        ))
                }
            }
            let result = try await body(stores)
            for store in distinct(stores) { try await store.close() }
            return result
        } catch {
            for store in distinct(stores) { try? await store.close() }
            throw error
        }
    }

    func withStore<T>(_ body: (any PaymentStore) async throws -> T) async throws -> T {
        try await withStores(1) { try await body($0[0]) }
    }

    /// SQLite repeats one store: each instance is closed once.
    private func distinct(_ stores: [any PaymentStore]) -> [any PaymentStore] {
        backend.sharesAcrossInstances ? stores : Array(stores.prefix(1))
    }
}

/// Runs `body` on a new, empty Payments database, removed afterwards.
func withPaymentDatabase<T>(_ backend: StoreBackend, _ body: (PaymentStoreDatabase) async throws -> T) async throws -> T {
    switch backend {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.path + "/payments-contract-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(PaymentStoreDatabase(backend: backend, location: .sqlite(path: directory + "/payments.db")))
    case .postgres:
        return try await PostgresTestDatabase.withFreshSchema { url in
            try await body(PaymentStoreDatabase(backend: backend, location: .postgres(url)))
        }
    }
}

extension PaymentRecord {
    static func make(orderID: String = UUID().uuidString, status: PaymentStatus = .approved, amount: Int64 = 599, now: Int64 = 1_000) -> PaymentRecord {
        PaymentRecord(
            id: UUID().uuidString.lowercased(), orderID: orderID, status: status, amountCents: amount, currency: "EUR",
            customerID: "cust-1", declineReason: status == .declined ? "card declined" : nil, createdAt: now, updatedAt: now)
    }
}
