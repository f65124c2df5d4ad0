import Logging
@testable import Payments
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A payment system on a fresh SQLite file; the directory is removed afterwards.
func withPaymentSystem<T>(
    config: PaymentSystem.Config = .init(approvalRate: 0.8, seed: 42), directory: String? = nil,
    _ body: (PaymentSystem) async throws -> T
) async throws -> T {
    let path = directory ?? FileManager.default.temporaryDirectory.path + "/payments-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { if directory == nil { try? FileManager.default.removeItem(atPath: path) } }
    var logger = Logger(label: "payments-tests")
    logger.logLevel = .critical
    let store = try await SQLitePaymentStore.open(path: path + "/payments.db", logger: logger)
    let system = PaymentSystem(store: store, config: config, logger: logger)
    do {
        let result = try await body(system)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

extension PaymentSystem {
    func charge(_ orderID: String, token: String = "tok_approve", amount: Int64 = 599, currency: String = "EUR") async throws -> PaymentRecord {
        try await process(orderID: orderID, amountCents: amount, currency: currency, paymentToken: token, customerID: "cust-1")
    }
}
