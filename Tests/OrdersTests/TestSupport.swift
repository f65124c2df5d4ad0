import Logging
import Synchronization
import Testing
@testable import Orders
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh directory under the system temp dir, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.path + "/orders-tests-" + OrderIdentifier.make(now: 0)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Opens an order store on `directory/orders.db`, closing it when `body` returns.
func withOrderStore<T>(
    in directory: String, orderCacheSize: Int = SQLiteOrderStore.defaultOrderCacheSize, _ body: (SQLiteOrderStore) async throws -> T
) async throws -> T {
    let store = try await SQLiteOrderStore.open(path: directory + "/orders.db", orderCacheSize: orderCacheSize, logger: .test)
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// Runs an order system (store, dispatcher, scheduler) until `body` returns.
func withOrderSystem<T>(
    in directory: String, gateway: any PaymentGateway, config: OrderSystem.Config = .fast,
    _ body: (OrderSystem) async throws -> T
) async throws -> T {
    try await withOrderStore(in: directory) { store in
        let system = OrderSystem(store: store, gateway: gateway, config: config, logger: .test)
        system.start()
        do {
            let result = try await body(system)
            await system.shutdown()
            return result
        } catch {
            await system.shutdown()
            throw error
        }
    }
}

/// Polls `condition` until it holds; fails the test if it never does within `timeout`. A
/// liveness wait, not a timing assertion: the timeout is far above what the work needs.
func eventually(
    timeout: Duration = .seconds(20), _ what: String = "condition",
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("\(what) did not happen within \(timeout)", sourceLocation: sourceLocation)
    throw CancellationError()
}

extension Logger {
    static var test: Logger {
        var logger = Logger(label: "orders-tests")
        logger.logLevel = .critical
        return logger
    }
}

extension OrderSystem.Config {
    /// Short delays so tests finish quickly.
    static var fast: OrderSystem.Config {
        OrderSystem.Config(
            paymentTimeout: .seconds(30), deliveryDelay: .milliseconds(200),
            dispatcher: .init(
                callTimeout: .seconds(2), backoff: Backoff(base: .milliseconds(5), cap: .milliseconds(50)),
                reconcileBackoff: Backoff(base: .milliseconds(5), cap: .milliseconds(50)),
                leaseMargin: .milliseconds(500), pollInterval: .milliseconds(50)),
            delivery: .init(pollInterval: .milliseconds(100))
        )
    }
}

extension OrderRequest {
    static func make(token: String = "tok_approve", requestID: String = "", customerID: String = "cust-1", quantity: Int32 = 2) -> OrderRequest {
        OrderRequest(
            customerID: customerID,
            items: [OrderLine(sku: "sku-1", quantity: quantity, unitPriceCents: 250), OrderLine(sku: "sku-2", quantity: 1, unitPriceCents: 99)],
            currency: "EUR", paymentToken: token, requestID: requestID
        )
    }
}
