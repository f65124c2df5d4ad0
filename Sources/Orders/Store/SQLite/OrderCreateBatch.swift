import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// Writes a batch of creates inside the writer's open transaction: resolves idempotency keys
/// first (so a reused key fails alone, writing nothing), then inserts every new order with a
/// few multi-row statements.
struct OrderCreateBatch {
    let orders: [NewOrder]

    /// Rows per multi-row INSERT: keeps statements well under SQLite's bind limit.
    private static let rowsPerStatement = 500

    func run(on connection: SQLiteConnection) async throws -> [Result<CreateResult, any Error>] {
        let known = try await knownKeys(on: connection)
        var results = [Result<CreateResult, any Error>?](repeating: nil, count: orders.count)
        var fresh: [NewOrder] = []
        var claimedInBatch: [String: NewOrder] = [:]
        var existingIDs: [Int: String] = [:]
        for (index, order) in orders.enumerated() {
            guard let key = order.draft.idempotencyKey else {
                fresh.append(order)
                results[index] = .success(CreateResult(order: order.record, isNew: true))
                continue
            }
            if let (hash, orderID) = known[key] {
                if hash == order.draft.payloadHash {
                    existingIDs[index] = orderID
                } else {
                    results[index] = .failure(OrderError.requestIDReused(requestID: order.draft.requestID ?? key))
                }
            } else if let first = claimedInBatch[key] {
                results[index] =
                    first.draft.payloadHash == order.draft.payloadHash
                    ? .success(CreateResult(order: first.record, isNew: false))
                    : .failure(OrderError.requestIDReused(requestID: order.draft.requestID ?? key))
            } else {
                claimedInBatch[key] = order
                fresh.append(order)
                results[index] = .success(CreateResult(order: order.record, isNew: true))
            }
        }
        try await insert(fresh, on: connection)
        if !existingIDs.isEmpty {
            let ids = Array(Set(existingIDs.values))
            let rows = try await connection.rows(
                """
                SELECT \(OrderRows.orderColumns) FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
                WHERE o.id IN (\(SQLPlaceholders.list(ids.count))) ORDER BY o.id, i.position
                """, ids.map { .text($0) })
            let byID = Dictionary(try OrderRows.orders(from: rows).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (index, orderID) in existingIDs {
                guard let order = byID[orderID] else { throw StorageError.malformedRow(column: "idempotency_keys.order_id") }
                results[index] = .success(CreateResult(order: order, isNew: false))
            }
        }
        return results.map { $0! }
    }

    private func knownKeys(on connection: SQLiteConnection) async throws -> [String: (String, String)] {
        let keys = Array(Set(orders.compactMap(\.draft.idempotencyKey)))
        guard !keys.isEmpty else { return [:] }
        var known: [String: (String, String)] = [:]
        for chunk in keys.chunked(Self.rowsPerStatement) {
            let rows = try await connection.rows(
                "SELECT request_id, payload_hash, order_id FROM idempotency_keys WHERE request_id IN (\(SQLPlaceholders.list(chunk.count)))",
                chunk.map { .text($0) }
            )
            for row in rows { known[try row.text("request_id")] = (try row.text("payload_hash"), try row.text("order_id")) }
        }
        return known
    }

    private func insert(_ orders: [NewOrder], on connection: SQLiteConnection) async throws {
        guard !orders.isEmpty else { return }
        for chunk in orders.chunked(Self.rowsPerStatement) {
            try await connection.execute(
                """
                INSERT INTO orders (id, state, customer_id, total_cents, currency, cancel_reason, payment_id, request_id,
                    created_at, updated_at, deliver_at, version)
                VALUES \(SQLPlaceholders.rows(chunk.count, columns: 12))
                """,
                chunk.flatMap { order -> [SQLiteData] in
                    [
                        .text(order.id), .text(OrderLifecycle.State.created.rawValue), .text(order.draft.customerID),
                        .int64(order.draft.totalCents), .text(order.draft.currency), .null, .null,
                        .optionalText(order.draft.requestID), .int64(order.createdAt), .int64(order.createdAt), .null, .integer(1),
                    ]
                })
            try await connection.execute(
                "INSERT INTO payment_jobs (\(OrderRows.jobColumns)) VALUES \(SQLPlaceholders.rows(chunk.count, columns: OrderRows.jobColumnCount))",
                chunk.flatMap { OrderRows.binds(of: $0.chargeJob, createdAt: $0.createdAt) }
            )
            let keyed = chunk.filter { $0.draft.idempotencyKey != nil }
            if !keyed.isEmpty {
                try await connection.execute(
                    "INSERT INTO idempotency_keys (request_id, payload_hash, order_id, created_at) VALUES \(SQLPlaceholders.rows(keyed.count, columns: 4))",
                    keyed.flatMap { order -> [SQLiteData] in
                        [.text(order.draft.idempotencyKey!), .text(order.draft.payloadHash), .text(order.id), .int64(order.createdAt)]
                    }
                )
            }
        }
        let items = orders.flatMap { order in
            order.draft.items.enumerated().map { (order.id, $0.offset, $0.element) }
        }
        for chunk in items.chunked(Self.rowsPerStatement) {
            try await connection.execute(
                "INSERT INTO order_items (order_id, position, sku, quantity, unit_price_cents) VALUES \(SQLPlaceholders.rows(chunk.count, columns: 5))",
                chunk.flatMap { item -> [SQLiteData] in
                    [.text(item.0), .integer(item.1), .text(item.2.sku), .integer(Int(item.2.quantity)), .int64(item.2.unitPriceCents)]
                }
            )
        }
    }
}
