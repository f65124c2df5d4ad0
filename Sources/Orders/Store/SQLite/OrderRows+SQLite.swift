import SQLiteNIO
import SQLiteSupport

extension OrderRows {
    /// The bind values of one `payment_jobs` row, in the column order of `jobColumns`.
    static func binds(of job: PaymentJob, createdAt: Int64) -> [SQLiteData] {
        [
            .text(job.orderID), .text(job.kind.rawValue), .integer(job.attempts), .int64(job.nextAttemptAt),
            .optionalInt64(job.deadlineAt), .int64(job.amountCents), .text(job.currency), .text(job.customerID),
            .text(job.paymentToken), .optionalText(job.paymentID), .optionalText(job.reason), .int64(createdAt),
            .optionalText(job.traceContext?.traceParent), .optionalText(job.traceContext?.traceState),
        ]
    }
}
