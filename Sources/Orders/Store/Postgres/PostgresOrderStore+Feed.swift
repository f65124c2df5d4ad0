import PostgresNIO
import PostgresSupport

extension PostgresOrderStore {
    /// See `OrderStore`: one statement, so the page and the bounds come from one snapshot.
    public func feedPage(_ query: OrderFeedQuery) async throws -> OrderFeedPage {
        var binds = PostgresBindings()
        binds.append(query.after)
        var conditions = ["seq > $1"]
        if let through = query.through {
            binds.append(through)
            conditions.append("seq <= $\(binds.count)")
        }
        if let customerID = query.filter.customerID {
            binds.append(customerID)
            conditions.append("customer_id = $\(binds.count)")
        }
        if !query.filter.states.isEmpty {
            binds.append(query.filter.states.map(\.rawValue).sorted())
            conditions.append("state = ANY($\(binds.count))")
        }
        binds.append(Int64(query.limit))
        let page = "SELECT * FROM order_feed WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT $\(binds.count)"
        let rows = try await storage.rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(OrderFeedRows.columns) \(OrderFeedRows.from(page: page))", binds: binds
            ))
        return try OrderFeedRows.page(from: rows.map { $0.makeRandomAccess() })
    }

    /// Prunes the feed up to its newest entry older than `cutoff` in one transaction, recording
    /// how far (see `OrderStore.purgeOrderEvents`).
    func purgeFeed(before cutoff: Int64) async throws -> Int {
        let rows = try await storage.rows(
            """
            WITH through AS (SELECT MAX(seq) AS seq FROM order_feed WHERE updated_at < \(cutoff)),
            gone AS (DELETE FROM order_feed WHERE seq <= (SELECT seq FROM through) RETURNING 1),
            marked AS (
                UPDATE order_feed_head SET pruned_through = GREATEST(pruned_through, (SELECT seq FROM through))
                WHERE (SELECT seq FROM through) IS NOT NULL
            )
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0)
    }
}
