import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// The SQL of every Orders write, run by a `GroupCommitWriter`: creates, transitions and
/// reschedules in a batch each become a handful of multi-row statements, so a transaction of a
/// hundred writes costs about as much as one of a single write.
struct OrderWriteExecutor: WriteBatchExecutor {
    /// Every kind of write, each with its caller's reply, typed by the kind's answer.
    enum Request: BatchRequest {
        case create(NewOrder, Reply<CreateResult>)
        case write(OrderWrite, Reply<OrderWrite.Outcome>)
        case claim(now: Int64, leaseUntil: Int64, limit: Int, Reply<[PaymentJob]>)
        case claimDeliveries(now: Int64, leaseUntil: Int64, limit: Int, Reply<[String]>)
        case reschedule(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64, Reply<Void>)
        case purgeKeys(createdBefore: Int64, Reply<Int>)
        /// Prunes the order feed's entries older than the cutoff (a prefix of `seq`).
        case purgeFeed(before: Int64, Reply<Int>)

        func fail(_ error: any Error) {
            switch self {
            case .create(_, let reply): reply.fail(error)
            case .write(_, let reply): reply.fail(error)
            case .claim(_, _, _, let reply): reply.fail(error)
            case .claimDeliveries(_, _, _, let reply): reply.fail(error)
            case .reschedule(_, _, _, _, let reply): reply.fail(error)
            case .purgeKeys(_, let reply): reply.fail(error)
            case .purgeFeed(_, let reply): reply.fail(error)
            }
        }
    }

    let broadcaster: OrderChangeBroadcaster
    let cache: OrderRecordCache
    /// Wakes the order feed's tail after a commit that appended to the feed.
    let feedCommits: WakeSignal

    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> BatchOutcome {
        // Before any row changes: no read may keep a state this transaction replaces.
        var changing: [String] = []
        for case .write(let write, _) in requests where write.transition != nil { changing.append(write.orderID) }
        cache.invalidate(changing)
        var deliveries: [Delivery] = []
        deliveries.reserveCapacity(requests.count)
        // Indexed by request, so notifications go out in request order.
        var changes: [(index: Int, change: OrderChange)] = []
        var created: [OrderRecord] = []
        var creates: [(order: NewOrder, reply: Reply<CreateResult>)] = []
        for case .create(let order, let reply) in requests { creates.append((order, reply)) }
        if !creates.isEmpty {
            let results = try await OrderCreateBatch(orders: creates.map(\.order)).run(on: connection)
            for (create, result) in zip(creates, results) {
                if case .success(let result) = result, result.isNew { created.append(result.order) }
                deliveries.append(create.reply.answer(result))
            }
        }
        // Transitions: the first write of each order goes in one multi-row batch; a later write
        // for the same order runs after it, alone, and sees its effect.
        var batched: [(index: Int, write: OrderWrite, reply: Reply<OrderWrite.Outcome>)] = []
        var batchedOrders: Set<String> = []
        for (index, request) in requests.enumerated() {
            if case .write(let write, let reply) = request, batchedOrders.insert(write.orderID).inserted { batched.append((index, write, reply)) }
        }
        if !batched.isEmpty {
            let outcomes = try await OrderWriteBatch(writes: batched.map(\.write)).run(on: connection)
            for (entry, outcome) in zip(batched, outcomes) {
                if case .applied(let change?) = outcome { changes.append((entry.index, change)) }
                deliveries.append(entry.reply.answer(outcome))
            }
        }
        let batchedIndices = Set(batched.map(\.index))
        var reschedules: [(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64, reply: Reply<Void>)] = []
        for case .reschedule(let orderID, let kind, let attempts, let nextAttemptAt, let reply) in requests {
            reschedules.append((orderID, kind, attempts, nextAttemptAt, reply))
        }
        for chunk in reschedules.chunked(500) {
            try await connection.execute(
                """
                WITH v (order_id, kind, attempts, next_attempt_at) AS (VALUES \(SQLPlaceholders.rows(chunk.count, columns: 4)))
                UPDATE payment_jobs SET attempts = v.attempts, next_attempt_at = v.next_attempt_at
                FROM v WHERE payment_jobs.order_id = v.order_id AND payment_jobs.kind = v.kind
                """, chunk.flatMap { [SQLiteData.text($0.orderID), .text($0.kind.rawValue), .integer($0.attempts), .int64($0.nextAttemptAt)] })
            for entry in chunk { deliveries.append(entry.reply.answer(())) }
        }
        for (index, request) in requests.enumerated() {
            switch request {
            case .create, .reschedule:
                continue
            case .write(let write, let reply):
                guard !batchedIndices.contains(index) else { continue }
                let outcome = try await apply(write, on: connection)
                if case .applied(let change?) = outcome { changes.append((index, change)) }
                deliveries.append(reply.answer(outcome))
            case .claim(let now, let leaseUntil, let limit, let reply):
                let rows = try await connection.rows(
                    """
                    UPDATE payment_jobs SET next_attempt_at = ?
                    WHERE (order_id, kind) IN (
                        SELECT order_id, kind FROM payment_jobs WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?
                    )
                    RETURNING \(OrderRows.jobColumns)
                    """, [.int64(leaseUntil), .int64(now), .integer(limit)])
                deliveries.append(reply.answer(try rows.map(OrderRows.job(from:))))
            case .claimDeliveries(let now, let leaseUntil, let limit, let reply):
                // Without INDEXED BY, SQLite prefers orders_by_state (state = ?) and reads and
                // sorts every confirmed order; the partial index holds just them, by deliver_at.
                let rows = try await connection.rows(
                    """
                    UPDATE orders SET delivery_lease_until = ?
                    WHERE id IN (
                        SELECT id FROM orders INDEXED BY orders_to_deliver
                        WHERE state = 'confirmed' AND deliver_at <= ? AND COALESCE(delivery_lease_until, 0) <= ?
                        ORDER BY deliver_at LIMIT ?
                    )
                    RETURNING id, deliver_at
                    """, [.int64(leaseUntil), .int64(now), .int64(now), .integer(limit)])
                let due = try rows.map { (id: try $0.text("id"), at: try $0.int64("deliver_at")) }
                deliveries.append(reply.answer(due.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id)))
            case .purgeKeys(let cutoff, let reply):
                let rows = try await connection.rows(
                    "DELETE FROM idempotency_keys WHERE created_at < ? RETURNING request_id", [.int64(cutoff)]
                )
                deliveries.append(reply.answer(rows.count))
            case .purgeFeed(let cutoff, let reply):
                deliveries.append(reply.answer(try await purgeFeed(before: cutoff, on: connection)))
            }
        }
        let published = changes.sorted { $0.index < $1.index }.map(\.change)
        return BatchOutcome(deliveries: deliveries) { [broadcaster, cache, feedCommits, created, changes = published] in
            if !created.isEmpty { cache.created(created) }
            if !changes.isEmpty { cache.committed(changes) }
            if !created.isEmpty || !changes.isEmpty { feedCommits.signal() }
            for change in changes { broadcaster.publish(change) }
        }
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
            let rows = try await connection.rows(
                """
                UPDATE orders SET state = ?, cancel_reason = ?, payment_id = COALESCE(?, payment_id),
                    deliver_at = COALESCE(?, deliver_at), updated_at = ?, version = version + 1
                WHERE id = ? AND state = ?
                RETURNING id, state, cancel_reason, payment_id, deliver_at, updated_at, version
                """,
                [
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
            let job = refund.job(for: write.orderID)
            // An order is refunded at most once: a second refund job is a no-op.
            try await connection.execute(
                "INSERT INTO payment_jobs (\(OrderRows.jobColumns)) VALUES \(SQLPlaceholders.rows(1, columns: OrderRows.jobColumnCount)) ON CONFLICT (order_id, kind) DO NOTHING",
                OrderRows.binds(of: job, createdAt: write.now)
            )
        }
        return .applied(change)
    }
}
