import Logging

extension PaymentDispatcher {
    /// One RefundPayment attempt. Retries every failure but the two that say there is nothing
    /// to refund: money must not be kept by mistake.
    func refund(_ job: PaymentJob, logger: Logger) async throws {
        let request = RefundRequest(orderID: job.orderID, paymentID: job.paymentID, reason: job.reason ?? "order cancelled",
                                    requestID: logger[metadataKey: "request-id"]?.description)
        do {
            let decision = try await callingPayments { try await gateway.refundPayment(request, timeout: config.callTimeout) }
            logger.info("payment refunded", metadata: ["payment-id": "\(decision.paymentID)"])
        } catch let error as PaymentGatewayError where error.kind == .nothingToRefund {
            logger.warning("nothing to refund", metadata: ["error": "\(error)"])
        } catch {
            var generator = SystemRandomNumberGenerator()
            let wait = config.backoff.delayMillis(attempt: job.attempts + 1, using: &generator)
            logger.info("refund failed; retrying", metadata: ["error": "\(error)", "retry-in-ms": "\(wait)"])
            try await reschedule(job, after: wait)
            return
        }
        _ = try await store.write(OrderWrite(orderID: job.orderID, transition: nil, completesJob: .refund, now: clock.now()))
    }
}
