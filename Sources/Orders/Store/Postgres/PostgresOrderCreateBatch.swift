import Logging
import PostgresNIO
import PostgresSupport
import SQLiteSupport
import StorageSupport

/// Writes a batch of creates inside one open transaction, with a statement per table whatever
/// the batch size (rows travel as arrays and `UNNEST` into the table).
///
/// Idempotency keys go in first with `ON CONFLICT DO NOTHING`: PostgreSQL makes a second
/// transaction inserting the same key wait for the first one's outcome, so across replicas a
/// key is claimed by exactly one create and the others find it (and its order) committed. A
/// reused key with another payload fails alone, writing nothing.
struct PostgresOrderCreateBatch: PostgresBatchExecutor {
    typealias Request = NewOrder
    typealias Response = CreateResult

    /// The NOTIFY channel of the store (the feed's signal to other replicas).
    let channel: String
    /// Wakes this replica's feed tail after a commit.
    let feedCommits: WakeSignal

    func didCommit(_ responses: [CreateResult]) {
        if responses.contains(where: \.isNew) { feedCommits.signal() }
    }

    func execute(_ orders: [NewOrder], on connection: PostgresConnection, logger: Logger) async throws -> [Result<CreateResult, any Error>] {
        var results = [Result<CreateResult, any Error>?](repeating: nil, count: orders.count)
        var firstWithKey: [String: Int] = [:]
        var keyed: [Int] = []
        // Only the first create with a key inserts it; a retry inside the batch follows it.
        for (index, order) in orders.enumerated() {
            guard let key = order.draft.idempotencyKey, firstWithKey[key] == nil else { continue }
            firstWithKey[key] = index
            keyed.append(index)
        }
        let taken = try await insertKeys(keyed.map { orders[$0] }, on: connection, logger: logger)
        var existing: [String: (hash: String, orderID: String)] = [:]
        let lost = keyed.filter { !taken.contains(orders[$0].draft.idempotencyKey!) }
        if !lost.isEmpty {
            existing = try await storedKeys(lost.map { orders[$0].draft.idempotencyKey! }, on: connection, logger: logger)
        }
        var fresh: [NewOrder] = []
        var existingOrderIDs: Set<String> = []
        for (index, order) in orders.enumerated() {
            guard let key = order.draft.idempotencyKey else {
                fresh.append(order)
                results[index] = .success(CreateResult(order: order.record, isNew: true))
                continue
            }
            let first = orders[firstWithKey[key]!]
            if taken.contains(key) {
                if index == firstWithKey[key] {
                    fresh.append(order)
                    results[index] = .success(CreateResult(order: order.record, isNew: true))
                } else {
                    results[index] =
                        first.draft.payloadHash == order.draft.payloadHash
                        ? .success(CreateResult(order: first.record, isNew: false))
                        : .failure(OrderError.requestIDReused(requestID: order.draft.requestID ?? key))
                }
            } else if let stored = existing[key] {
                if stored.hash == order.draft.payloadHash {
                    existingOrderIDs.insert(stored.orderID)
                } else {
                    results[index] = .failure(OrderError.requestIDReused(requestID: order.draft.requestID ?? key))
                }
            } else {
                // The key's row went between the two statements (purged after 24 h): rare
                // enough to refuse; the client retries.
                results[index] = .failure(StorageError.malformedRow(column: "idempotency_keys.request_id"))
            }
        }
        try await insert(fresh, on: connection, logger: logger)
        try await PostgresFeedAppend.append(fresh.map { .init(created: $0.record) }, channel: channel, on: connection, logger: logger)
        if !existingOrderIDs.isEmpty {
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: OrderRows.orderColumns) FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
                WHERE o.id = ANY(\(Array(existingOrderIDs))) ORDER BY o.id, i.position
                """, logger: logger)
            let byID = Dictionary(try OrderRows.orders(from: rows.map { $0.makeRandomAccess() }).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (index, order) in orders.enumerated() where results[index] == nil {
                guard let key = order.draft.idempotencyKey, let stored = existing[key], let found = byID[stored.orderID] else {
                    throw StorageError.malformedRow(column: "idempotency_keys.order_id")
                }
                results[index] = .success(CreateResult(order: found, isNew: false))
            }
        }
        return results.map { $0! }
    }

    /// Inserts the keys in a fixed (sorted) order, so two batches sharing keys cannot
    /// deadlock; returns the keys this transaction took.
    private func insertKeys(_ orders: [NewOrder], on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        guard !orders.isEmpty else { return [] }
        let sorted = orders.sorted { $0.draft.idempotencyKey! < $1.draft.idempotencyKey! }
        let rows = try await connection.rows(
            """
            INSERT INTO idempotency_keys (request_id, payload_hash, order_id, created_at)
            SELECT * FROM UNNEST(\(sorted.map { $0.draft.idempotencyKey! }), \(sorted.map(\.draft.payloadHash)),
                                 \(sorted.map(\.id)), \(sorted.map(\.createdAt)))
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id
            """, logger: logger)
        return Set(try rows.map { try $0.makeRandomAccess().text("request_id") })
    }

    private func storedKeys(_ keys: [String], on connection: PostgresConnection, logger: Logger) async throws -> [String: (hash: String, orderID: String)] {
        let rows = try await connection.rows(
            "SELECT request_id, payload_hash, order_id FROM idempotency_keys WHERE request_id = ANY(\(keys))", logger: logger
        )
        var stored: [String: (hash: String, orderID: String)] = [:]
        for postgresRow in rows {
            let row = postgresRow.makeRandomAccess()
            stored[try row.text("request_id")] = (try row.text("payload_hash"), try row.text("order_id"))
        }
        return stored
    }

    private func insert(_ orders: [NewOrder], on connection: PostgresConnection, logger: Logger) async throws {
        guard !orders.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO orders (id, state, customer_id, total_cents, currency, request_id, created_at, updated_at, version)
            SELECT id, 'created', customer_id, total_cents, currency, NULLIF(request_id, ''), created_at, created_at, 1
            FROM UNNEST(\(orders.map(\.id)), \(orders.map(\.draft.customerID)), \(orders.map(\.draft.totalCents)),
                        \(orders.map(\.draft.currency)), \(orders.map { $0.draft.requestID ?? "" }), \(orders.map(\.createdAt)))
                AS new (id, customer_id, total_cents, currency, request_id, created_at)
            """, logger: logger)
        let items = orders.flatMap { order in order.draft.items.enumerated().map { (order: order.id, position: Int64($0.offset), line: $0.element) } }
        try await connection.query(
            """
            INSERT INTO order_items (order_id, position, sku, quantity, unit_price_cents)
            SELECT * FROM UNNEST(\(items.map(\.order)), \(items.map(\.position)), \(items.map(\.line.sku)),
                                 \(items.map { Int64($0.line.quantity) }), \(items.map(\.line.unitPriceCents)))
            """, logger: logger)
        // The charge job as `NewOrder.chargeJob` describes it. A missing trace context travels
        // as '' and is stored as NULL, as `request_id` does above.
        try await connection.query(
            """
            INSERT INTO payment_jobs (order_id, kind, attempts, next_attempt_at, deadline_at, amount_cents, currency,
                customer_id, payment_token, created_at, trace_parent, trace_state)
            SELECT order_id, 'charge', 0, next_attempt_at, deadline_at, amount_cents, currency, customer_id, payment_token, created_at,
                NULLIF(trace_parent, ''), NULLIF(trace_state, '')
            FROM UNNEST(\(orders.map(\.id)), \(orders.map(\.firstAttemptLease)), \(orders.map(\.paymentDeadline)),
                        \(orders.map(\.draft.totalCents)), \(orders.map(\.draft.currency)), \(orders.map(\.draft.customerID)),
                        \(orders.map(\.draft.paymentToken)), \(orders.map(\.createdAt)),
                        \(orders.map { $0.traceContext?.traceParent ?? "" }), \(orders.map { $0.traceContext?.traceState ?? "" }))
                AS new (order_id, next_attempt_at, deadline_at, amount_cents, currency, customer_id, payment_token, created_at,
                        trace_parent, trace_state)
            """, logger: logger)
    }
}
