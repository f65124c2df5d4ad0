import Logging
import PostgresNIO
import PostgresSupport
import SQLiteSupport
import StorageSupport
import StoreTestSupport
import Testing
@testable import Orders

/// A payment job keeps the trace context of the call that created it (`trace_parent`,
/// `trace_state`), so an attempt claimed later joins the order's trace; a database made
/// before those columns existed opens, and its jobs claim with no context.
extension OrderStoreContractTests {
    static let traced = JobTraceContext(
        traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", traceState: "vendor=opaque,other=1"
    )

    @Test(arguments: StoreBackend.tested)
    func chargeJobsKeepTheCreatingCallsTraceContext(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let withState = try NewOrder.make(traceContext: Self.traced)
            let parentOnly = try NewOrder.make(traceContext: JobTraceContext(traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"))
            let untraced = try NewOrder.make()
            try await database.withStore { store in
                // Concurrent creates (batched together when they meet): each row keeps its own context.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for order in [withState, parentOnly, untraced] { group.addTask { _ = try await store.create(order) } }
                    try await group.waitForAll()
                }
            }
            // Read back by a store opened afterwards: the context is in the row, not in memory.
            let jobs = try await database.withStore { try await $0.claimDueJobs(now: 10_000, leaseUntil: 20_000, limit: 10) }
            let byOrder = Dictionary(uniqueKeysWithValues: jobs.map { ($0.orderID, $0) })
            #expect(byOrder.count == 3)
            #expect(byOrder[withState.id]?.traceContext == Self.traced)
            #expect(byOrder[parentOnly.id]?.traceContext == parentOnly.traceContext)
            #expect(byOrder[parentOnly.id]?.traceContext?.traceState == nil)
            #expect(byOrder[untraced.id].map { $0.traceContext == nil } == true)
            #expect(byOrder[withState.id] == withState.chargeJob.leased(until: 20_000))
        }
    }

    @Test(arguments: StoreBackend.tested)
    func refundJobsKeepTheCancellingCallsTraceContext(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let traced = try NewOrder.make(traceContext: Self.traced)
            let untraced = try NewOrder.make()
            let cancelContext = JobTraceContext(traceParent: "00-11111111111111111111111111111111-2222222222222222-01")
            try await database.withStore { store in
                for order in [traced, untraced] {
                    _ = try await store.create(order)
                    guard case .applied = try await store.write(.confirm(order.id, now: 1_500)) else { throw TransitionSetupFailed() }
                }
                let refunds = [
                    traced.id: OrderWrite.Refund(
                        paymentID: "pay-\(traced.id)", reason: "USER_REQUESTED", firstAttemptLease: 2_500,
                        traceContext: cancelContext),
                    untraced.id: OrderWrite.Refund(paymentID: "pay-\(untraced.id)", reason: "USER_REQUESTED", firstAttemptLease: 2_500),
                ]
                for (orderID, refund) in refunds {
                    let write = OrderWrite(
                        orderID: orderID, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested),
                        addsRefund: refund, now: 2_000)
                    guard case .applied = try await store.write(write) else { throw TransitionSetupFailed() }
                }
                let jobs = try await store.claimDueJobs(now: 2_500, leaseUntil: 9_000, limit: 10)
                #expect(Set(jobs) == Set(refunds.map { $0.value.job(for: $0.key).leased(until: 9_000) }))
                #expect(jobs.first { $0.orderID == traced.id }?.traceContext == cancelContext)
            }
        }
    }

    /// A database at schema version 4 (before the trace context) with a job in it: the store
    /// migrates it, the job claims with no context, and new jobs keep theirs.
    @Test(arguments: StoreBackend.tested)
    func databaseFromBeforeTheTraceColumnsOpensAndMigrates(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            let old = try NewOrder.make()
            try await Self.writeVersion4Database(with: old, at: database.location)
            try await database.withStore { store in
                let jobs = try await store.claimDueJobs(now: 10_000, leaseUntil: 20_000, limit: 10)
                #expect(jobs == [old.chargeJob.leased(until: 20_000)])
                #expect(try await store.order(id: old.id)?.state == .created)
                let new = try NewOrder.make(traceContext: Self.traced)
                _ = try await store.create(new)
                #expect(try await store.claimDueJobs(now: 10_000, leaseUntil: 20_000, limit: 10).map(\.traceContext) == [Self.traced])
            }
        }
    }

    /// Migrations 1–4 only, and one order with its charge job written as a build of that
    /// schema wrote them.
    private static func writeVersion4Database(with order: NewOrder, at location: StoreLocation) async throws {
        let insertOrder = """
            INSERT INTO orders (id, state, customer_id, total_cents, currency, created_at, updated_at, version)
            VALUES ('\(order.id)', 'created', '\(order.draft.customerID)', \(order.draft.totalCents), '\(order.draft.currency)',
                \(order.createdAt), \(order.createdAt), 1)
            """
        let insertJob = """
            INSERT INTO payment_jobs (order_id, kind, attempts, next_attempt_at, deadline_at, amount_cents, currency, customer_id,
                payment_token, created_at)
            VALUES ('\(order.id)', 'charge', 0, \(order.firstAttemptLease), \(order.paymentDeadline), \(order.draft.totalCents),
                '\(order.draft.currency)', '\(order.draft.customerID)', '\(order.draft.paymentToken)', \(order.createdAt))
            """
        switch location {
        case .sqlite(let path):
            let storage = try await SQLiteStorage.open(path: path, migrations: Array(OrderSchema.migrations.prefix(4)), logger: .test)
            try await storage.writer.execute(insertOrder)
            try await storage.writer.execute(insertJob)
            try await storage.close()
        case .postgres(let url):
            let storage = try await PostgresStorage.open(url: url, migrations: Array(OrderSchema.postgresMigrations.prefix(4)), logger: .test)
            try await storage.execute(PostgresQuery(unsafeSQL: insertOrder))
            try await storage.execute(PostgresQuery(unsafeSQL: insertJob))
            await storage.close()
        }
    }
}

extension PaymentJob {
    /// The job as a claim returns it: leased until `until`.
    func leased(until: Int64) -> PaymentJob {
        var job = self
        job.nextAttemptAt = until
        return job
    }
}
