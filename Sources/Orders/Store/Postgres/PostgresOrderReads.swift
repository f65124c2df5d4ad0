import PostgresNIO
import PostgresSupport

/// The Orders queries that only read, on PostgreSQL.
enum PostgresOrderReads {
    static func order(id: String, in storage: PostgresStorage) async throws -> OrderRecord? {
        let rows = try await storage.rows(
            """
            SELECT \(unescaped: OrderRows.orderColumns) FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
            WHERE o.id = \(id) ORDER BY i.position
            """)
        return try OrderRows.orders(from: rows.map { $0.makeRandomAccess() }).first
    }

    static func list(_ query: OrderListQuery, in storage: PostgresStorage) async throws -> OrderPage {
        var binds = PostgresBindings()
        var conditions: [String] = []
        if let state = query.state {
            binds.append(state.rawValue)
            conditions.append("state = $\(binds.count)")
        }
        if let customerID = query.customerID {
            binds.append(customerID)
            conditions.append("customer_id = $\(binds.count)")
        }
        if let after = query.after {
            binds.append(after.createdAt)
            binds.append(after.id)
            conditions.append("(created_at, id) < ($\(binds.count - 1), $\(binds.count))")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        binds.append(Int64(query.pageSize + 1))
        let rows = try await storage.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(OrderRows.orderColumns)
                    FROM (SELECT * FROM orders \(filter) ORDER BY created_at DESC, id DESC LIMIT $\(binds.count)) o
                    LEFT JOIN order_items i ON i.order_id = o.id
                    ORDER BY o.created_at DESC, o.id DESC, i.position
                    """, binds: binds))
        var orders = try OrderRows.orders(from: rows.map { $0.makeRandomAccess() })
        var next: OrderCursor?
        if orders.count > query.pageSize {
            orders.removeLast(orders.count - query.pageSize)
            next = orders.last.map { OrderCursor(createdAt: $0.createdAt, id: $0.id) }
        }
        return OrderPage(orders: orders, next: next)
    }
}
