import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// The SQL of every Orders write, run by a `GroupCommitWriter`: creates, transitions and
/// reschedules in a batch each become a handful of multi-row statements, so a transaction of a
/// hundred writes costs about as much as one of a single write.
struct OrderWriteExecutor: WriteBatchExecutor {
    enum Request: Sendable {
        case create(NewOrder)
        case write(OrderWrite)
        case claim(now: Int64, leaseUntil: Int64, limit: Int)
        case claimDeliveries(now: Int64, leaseUntil: Int64, limit: Int)
        case reschedule(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64)
        case purgeKeys(createdBefore: Int64)
        /// Prunes the order feed's entries older than the cutoff (a prefix of `seq`).
        case purgeFeed(before: Int64)
    }

    enum Response: Sendable {
        case created(CreateResult)
        case written(OrderWrite.Outcome)
        case claimed([PaymentJob])
        case claimedDeliveries([String])
        case count(Int)
    }

    let broadcaster: OrderChangeBroadcaster
    let cache: OrderRecordCache
    /// Wakes the order feed's tail after a commit that appended to the feed.
    let feedCommits: WakeSignal

    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> [Result<Response, any Error>] {
        // Before any row changes: no read may keep a state this transaction replaces.
        cache.invalidate(requests.lazy.compactMap { request -> String? in
            if case .write(let write) = request, write.transition != nil { return write.orderID }
            return nil
        })
        var results = [Result<Response, any Error>?](repeating: nil, count: requests.count)
        var creates: [(index: Int, order: NewOrder)] = []
        for (index, request) in requests.enumerated() {
            if case .create(let order) = request { creates.append((index, order)) }
        }
        if !creates.isEmpty {
            let created = try await OrderCreateBatch(orders: creates.map(\.order)).run(on: connection)
            for (position, create) in creates.enumerated() { results[create.index] = created[position].map(Response.created) }
        }
        // Transitions: the first write of each order goes in one multi-row batch; a later write
        // for the same order runs after it, alone, and sees its effect.
        var batched: [(index: Int, write: OrderWrite)] = []
        var batchedOrders: Set<String> = []
        for (index, request) in requests.enumerated() {
            if case .write(let write) = request, batchedOrders.insert(write.orderID).inserted { batched.append((index, write)) }
        }
        if !batched.isEmpty {
            let outcomes = try await OrderWriteBatch(writes: batched.map(\.write)).run(on: connection)
            for (position, entry) in batched.enumerated() { results[entry.index] = .success(.written(outcomes[position])) }
        }
        var reschedules: [(index: Int, orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64)] = []
        for (index, request) in requests.enumerated() {
            if case .reschedule(let orderID, let kind, let attempts, let nextAttemptAt) = request {
                reschedules.append((index, orderID, kind, attempts, nextAttemptAt))
            }
        }
        for chunk in reschedules.chunked(500) {
            try await connection.execute("""
                WITH v (order_id, kind, attempts, next_attempt_at) AS (VALUES \(SQLPlaceholders.rows(chunk.count, columns: 4)))
                UPDATE payment_jobs SET attempts = v.attempts, next_attempt_at = v.next_attempt_at
                FROM v WHERE payment_jobs.order_id = v.order_id AND payment_jobs.kind = v.kind
                """, chunk.flatMap { [SQLiteData.text($0.orderID), .text($0.kind.rawValue), .integer($0.attempts), .int64($0.nextAttemptAt)] })
            for entry in chunk { results[entry.index] = .success(.count(1)) }
        }
        for (index, request) in requests.enumerated() where results[index] == nil {
            switch request {
            case .create, .reschedule:
                continue
            case .write(let write):
                results[index] = .success(.written(try await apply(write, on: connection)))
            case .claim(let now, let leaseUntil, let limit):
                let rows = try await connection.rows("""
                    UPDATE payment_jobs SET next_attempt_at = ?
                    WHERE (order_id, kind) IN (
                        SELECT order_id, kind FROM payment_jobs WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?
                    )
                    RETURNING \(OrderRows.jobColumns)
                    """, [.int64(leaseUntil), .int64(now), .integer(limit)])
                results[index] = .success(.claimed(try rows.map(OrderRows.job(from:))))
            case .claimDeliveries(let now, let leaseUntil, let limit):
                // The literal state lets SQLite use the partial index orders_to_deliver.
                let rows = try await connection.rows("""
                    UPDATE orders SET delivery_lease_until = ?
                    WHERE id IN (
                        SELECT id FROM orders
                        WHERE state = 'confirmed' AND deliver_at <= ? AND COALESCE(delivery_lease_until, 0) <= ?
                        ORDER BY deliver_at LIMIT ?
                    )
                    RETURNING id, deliver_at
                    """, [.int64(leaseUntil), .int64(now), .int64(now), .integer(limit)])
                let due = try rows.map { (id: try $0.text("id"), at: try $0.int64("deliver_at")) }
                results[index] = .success(.claimedDeliveries(due.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id)))
            case .purgeKeys(let cutoff):
                let rows = try await connection.rows(
                    "DELETE FROM idempotency_keys WHERE created_at < ? RETURNING request_id", [.int64(cutoff)]
                )
                results[index] = .success(.count(rows.count))
            case .purgeFeed(let cutoff):
                results[index] = .success(.count(try await purgeFeed(before: cutoff, on: connection)))
            }
        }
        return results.map { $0! }
    }

    func didCommit(_ responses: [Response]) {
        var changes: [OrderChange] = []
        var created: [OrderRecord] = []
        for response in responses {
            switch response {
            case .written(.applied(let change?)): changes.append(change)
            case .created(let result) where result.isNew: created.append(result.order)
            default: break
            }
        }
        if !created.isEmpty { cache.created(created) }
        if !changes.isEmpty { cache.committed(changes) }
        if !created.isEmpty || !changes.isEmpty { feedCommits.signal() }
        for change in changes { broadcaster.publish(change) }
    }

    /// Deletes the feed's entries up to the newest one older than `cutoff` (so what stays is
    /// always a suffix of `seq`) and records how far it pruned.
    private func purgeFeed(before cutoff: Int64, on connection: SQLiteConnection) async throws -> Int {
        let newest = try await connection.rows("SELECT MAX(seq) AS seq FROM order_feed WHERE updated_at < ?", [.int64(cutoff)])
        guard let through = try newest.first?.optionalInt64("seq") else { return 0 }
        let rows = try await connection.rows("DELETE FROM order_feed WHERE seq <= ? RETURNING seq", [.int64(through)])
        try await connection.execute("UPDATE order_feed_head SET pruned_through = MAX(pruned_through, ?)", [.int64(through)])
        return rows.count
    }

    /// One conditional transition with its job effects; nothing is written on a conflict.
    private func apply(_ write: OrderWrite, on connection: SQLiteConnection) async throws -> OrderWrite.Outcome {
        var change: OrderChange?
        if let transition = write.transition {
            let rows = try await connection.rows("""
                UPDATE orders SET state = ?, cancel_reason = ?, payment_id = COALESCE(?, payment_id),
                    deliver_at = COALESCE(?, deliver_at), updated_at = ?, version = version + 1
                WHERE id = ? AND state = ?
                RETURNING id, state, cancel_reason, payment_id, deliver_at, updated_at, version
                """, [
                    .text(transition.to.rawValue), .optionalText(transition.cancelReason?.rawValue),
                    .optionalText(transition.paymentID), .optionalInt64(transition.deliverAt), .int64(write.now),
                    .text(write.orderID), .text(transition.from.rawValue),
                ])
            guard let row = rows.first else { return .conflict }
            change = try OrderRows.change(from: row)
        }
        if let kind = write.completesJob {
            try await connection.execute(
                "DELETE FROM payment_jobs WHERE order_id = ? AND kind = ?", [.text(write.orderID), .text(kind.rawValue)]
            )
        }
        if let refund = write.addsRefund {
            let job = PaymentJob(
                orderID: write.orderID, kind: .refund, attempts: 0, nextAttemptAt: refund.firstAttemptLease,
                paymentID: refund.paymentID, reason: refund.reason
            )
            // An order is refunded at most once: a second refund job is a no-op.
            try await connection.execute(
                "INSERT INTO payment_jobs (\(OrderRows.jobColumns)) VALUES \(SQLPlaceholders.rows(1, columns: 12)) ON CONFLICT (order_id, kind) DO NOTHING",
                OrderRows.binds(of: job, createdAt: write.now)
            )
        }
        return .applied(change)
    }
}
