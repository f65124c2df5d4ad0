import SQLiteNIO
import SQLiteSupport
import StorageSupport
import Synchronization

/// ProcessPayment's read-before-insert by order id, shared by concurrent calls: while one
/// query runs, later lookups wait, and the next query answers all of them with one
/// `order_id IN (…)`. Under load each call then costs a share of one prepared statement and
/// one reader round trip instead of its own.
///
/// A lookup waits only for a query that starts after it arrived, so it sees every payment
/// committed before the call (a repeat of an acknowledged charge finds it). An idle store runs
/// each lookup at once.
final class PaymentLookups: Sendable {
    private struct State {
        var waiting: [(orderID: String, continuation: CheckedContinuation<PaymentRecord?, any Error>)] = []
        var running = false
    }

    /// Lookups per query: keeps binds well under SQLite's limit.
    private static let maxBatch = 500

    private let state = Mutex(State())
    private let connection: @Sendable () -> SQLiteConnection

    /// Lookups on the connection `connection` returns for each query.
    init(connection: @escaping @Sendable () -> SQLiteConnection) {
        self.connection = connection
    }

    /// The payment recorded for `orderID`, read after this call began.
    func payment(orderID: String) async throws -> PaymentRecord? {
        try await withCheckedThrowingContinuation { continuation in
            let starts = state.withLock { state in
                state.waiting.append((orderID, continuation))
                guard !state.running else { return false }
                state.running = true
                return true
            }
            if starts { Task { await self.drain() } }
        }
    }

    /// Runs queries until nobody waits; exactly one drain runs at a time.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [(orderID: String, continuation: CheckedContinuation<PaymentRecord?, any Error>)] in
                let batch = Array(state.waiting.prefix(Self.maxBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.running = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let orderIDs = Array(Set(batch.map(\.orderID)))
                let rows = try await connection().rows(
                    "SELECT \(PaymentSchema.columns) FROM payments WHERE order_id IN (\(SQLPlaceholders.list(orderIDs.count)))",
                    orderIDs.map { .text($0) }
                )
                var found: [String: PaymentRecord] = [:]
                for row in rows {
                    let payment = try PaymentRows.payment(from: row)
                    found[payment.orderID] = payment
                }
                for entry in batch { entry.continuation.resume(returning: found[entry.orderID]) }
            } catch {
                for entry in batch { entry.continuation.resume(throwing: error) }
            }
        }
    }
}
