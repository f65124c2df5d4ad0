import Synchronization
@testable import Orders

/// An `OrderStore` that passes everything through to a real store and records the delivery
/// writes it sees (which order, whether the conditional write applied).
final class RecordingOrderStore: OrderStore {
    struct Delivery: Sendable, Hashable {
        var orderID: String
        var applied: Bool
    }

    private let base: any OrderStore
    private let recorded = Mutex<[Delivery]>([])
    private let claims = Mutex<[[String]]>([])
    private let createFailure = Mutex<(any Error)?>(nil)
    private let memoryAnswers = Mutex(0)

    init(base: any OrderStore) {
        self.base = base
    }

    /// How many `cachedOrder` calls found the order in memory.
    var cachedOrderHits: Int { memoryAnswers.withLock { $0 } }

    /// Every delivery write so far.
    var deliveries: [Delivery] { recorded.withLock { $0 } }

    /// What each `claimDueDeliveries` call so far returned, in order.
    var deliveryClaims: [[String]] { claims.withLock { $0 } }

    /// Makes every `create` fail with `error` (nil: pass through again), as a failing
    /// database would.
    func failCreates(with error: (any Error)?) {
        createFailure.withLock { $0 = error }
    }

    func write(_ write: OrderWrite) async throws -> OrderWrite.Outcome {
        let outcome = try await base.write(write)
        if write.transition?.to == .delivered {
            let applied = if case .applied = outcome { true } else { false }
            recorded.withLock { $0.append(Delivery(orderID: write.orderID, applied: applied)) }
        }
        return outcome
    }

    func create(_ order: NewOrder) async throws -> CreateResult {
        if let error = createFailure.withLock({ $0 }) { throw error }
        return try await base.create(order)
    }
    func order(id: String) async throws -> OrderRecord? { try await base.order(id: id) }
    func cachedOrder(id: String) -> OrderRecord? {
        let order = base.cachedOrder(id: id)
        if order != nil { memoryAnswers.withLock { $0 += 1 } }
        return order
    }
    func list(_ query: OrderListQuery) async throws -> OrderPage { try await base.list(query) }
    func claimDueJobs(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [PaymentJob] {
        try await base.claimDueJobs(now: now, leaseUntil: leaseUntil, limit: limit)
    }
    func rescheduleJob(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64) async throws {
        try await base.rescheduleJob(orderID: orderID, kind: kind, attempts: attempts, nextAttemptAt: nextAttemptAt)
    }
    func earliestJobDue() async throws -> Int64? { try await base.earliestJobDue() }
    func jobBacklog() async throws -> (count: Int, earliestDue: Int64?) { try await base.jobBacklog() }
    func dueDeliveries(now: Int64, limit: Int) async throws -> [String] { try await base.dueDeliveries(now: now, limit: limit) }
    func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [String] {
        let claimed = try await base.claimDueDeliveries(now: now, leaseUntil: leaseUntil, limit: limit)
        claims.withLock { $0.append(claimed) }
        return claimed
    }
    func earliestDelivery() async throws -> Int64? { try await base.earliestDelivery() }
    func purgeIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int { try await base.purgeIdempotencyKeys(createdBefore: cutoff) }
    func purgeOrderEvents(before cutoff: Int64) async throws -> Int { try await base.purgeOrderEvents(before: cutoff) }
    func changes(of orderID: String) -> AsyncStream<OrderChange> { base.changes(of: orderID) }
    func feedPage(_ query: OrderFeedQuery) async throws -> OrderFeedPage { try await base.feedPage(query) }
    var feedCommits: WakeSignal { base.feedCommits }
    func close() async throws { try await base.close() }
}
