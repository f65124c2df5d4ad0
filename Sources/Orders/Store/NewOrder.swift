/// What `OrderStore.create` writes: a validated draft with its id, times and first job lease.
public struct NewOrder: Sendable, Hashable {
    /// The new order id (UUIDv7).
    public var id: String
    /// The validated request.
    public var draft: OrderDraft
    /// Unix milliseconds.
    public var createdAt: Int64
    /// When the payment timeout cancels the order: `createdAt` + payment timeout.
    public var paymentDeadline: Int64
    /// The charge job's first `next_attempt_at`. The creating process makes the first attempt
    /// itself right after the commit, so this is a lease: another claim waits until then.
    public var firstAttemptLease: Int64
    /// The creating call's trace context, stored with the charge job.
    public var traceContext: JobTraceContext?

    public init(
        id: String, draft: OrderDraft, createdAt: Int64, paymentDeadline: Int64, firstAttemptLease: Int64,
        traceContext: JobTraceContext? = nil
    ) {
        self.id = id
        self.draft = draft
        self.createdAt = createdAt
        self.paymentDeadline = paymentDeadline
        self.firstAttemptLease = firstAttemptLease
        self.traceContext = traceContext
    }

    /// The order row as created.
    public var record: OrderRecord {
        OrderRecord(
            id: id, state: .created, customerID: draft.customerID, items: draft.items, totalCents: draft.totalCents,
            currency: draft.currency, createdAt: createdAt, updatedAt: createdAt, requestID: draft.requestID, version: 1
        )
    }

    /// The charge job as created.
    public var chargeJob: PaymentJob {
        PaymentJob(
            orderID: id, kind: .charge, attempts: 0, nextAttemptAt: firstAttemptLease, deadlineAt: paymentDeadline,
            amountCents: draft.totalCents, currency: draft.currency, customerID: draft.customerID,
            paymentToken: draft.paymentToken, traceContext: traceContext
        )
    }
}
