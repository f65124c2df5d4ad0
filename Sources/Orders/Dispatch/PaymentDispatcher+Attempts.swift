import Logging

extension PaymentDispatcher {
    /// One ProcessPayment attempt for an order, and what its answer does to the order.
    func charge(_ job: PaymentJob, logger: Logger) async throws {
        let deadline = job.deadlineAt ?? .max
        if clock.now() >= deadline {
            // Past the payment timeout: the order is cancelled first; a late approval found
            // below is then refunded.
            try await settle(job.orderID, event: .paymentTimedOut, paymentID: nil, completesJob: false, logger: logger)
        }
        let request = ChargeRequest(
            orderID: job.orderID, amountCents: job.amountCents, currency: job.currency,
            paymentToken: job.paymentToken, customerID: job.customerID, requestID: logger[metadataKey: "request-id"]?.description
        )
        let decision: PaymentDecision
        do {
            decision = try await callingPayments { try await gateway.processPayment(request, timeout: config.callTimeout) }
        } catch  where !Self.isFinalRefusal(error) {
            var generator = SystemRandomNumberGenerator()
            let now = clock.now()
            if now < deadline {
                let wait = config.backoff.delayMillis(attempt: job.attempts + 1, using: &generator)
                let metadata: Logger.Metadata = ["error": "\(error)", "retry-in-ms": "\(wait)"]
                if Self.isTransient(error) {
                    logger.info("payment call failed; retrying", metadata: metadata)
                } else {
                    logger.error("Payments refused the call (check the service secret and address); retrying", metadata: metadata)
                }
                // Never sleep past the deadline: the timeout cancels on time.
                try await reschedule(job, after: wait, notAfter: deadline)
            } else {
                try await settle(job.orderID, event: .paymentTimedOut, paymentID: nil, completesJob: false, logger: logger)
                let wait = config.reconcileBackoff.delayMillis(attempt: job.attempts + 1, using: &generator)
                logger.info("payment timed out; still asking whether money was taken", metadata: ["error": "\(error)", "retry-in-ms": "\(wait)"])
                try await reschedule(job, after: wait)
            }
            return
        } catch {
            // A refusal that asking again will not change (malformed token, bad amount): nothing
            // was charged, so the order is cancelled as declined.
            logger.warning("payment refused", metadata: ["error": "\(error)"])
            try await settle(job.orderID, event: .paymentDeclined, paymentID: nil, completesJob: true, logger: logger)
            return
        }
        switch decision.status {
        case .approved:
            try await settle(job.orderID, event: .paymentApproved, paymentID: decision.paymentID, completesJob: true, logger: logger)
        case .declined, .refunded:
            // Refunded means the money is back already: as far as the order goes, no payment.
            try await settle(job.orderID, event: .paymentDeclined, paymentID: decision.paymentID, completesJob: true, logger: logger)
        }
    }

    /// Applies a payment event to the order with one conditional write, re-reading and
    /// deciding again when a concurrent transition won the race. The first try assumes the
    /// order is still `created` (a job's order almost always is) and skips the read.
    func settle(_ orderID: String, event: OrderLifecycle.Event, paymentID: String?, completesJob: Bool, logger: Logger) async throws {
        var known: (state: OrderLifecycle.State, paymentID: String?)? = (.created, nil)
        while true {
            let now = clock.now()
            if known == nil {
                guard let order = try await store.order(id: orderID) else {
                    logger.error("payment job for a missing order; dropping it")
                    _ = try await store.write(OrderWrite(orderID: orderID, transition: nil, completesJob: .charge, now: now))
                    return
                }
                known = (order.state, order.paymentID)
            }
            let (state, storedPaymentID) = known!
            known = nil
            var write = OrderWrite(orderID: orderID, transition: nil, completesJob: completesJob ? .charge : nil, now: now)
            var refund = false
            switch OrderLifecycle.outcome(of: event, in: state) {
            case .transition(let change):
                let deliverAt = change.to == .confirmed ? now + deliveryDelay.millis : nil
                // The payment's id is kept for a decline too (Order.payment_id is set once
                // Payments has answered), so a client can look up why it was declined.
                write.transition = OrderWrite.Transition(
                    from: state, to: change.to, cancelReason: change.cancelReason,
                    paymentID: paymentID, deliverAt: deliverAt
                )
                refund = change.refund
            case .unchanged(let needsRefund):
                refund = needsRefund
                if !completesJob && !needsRefund { return }
            case .refused(let error):
                logger.error("payment event refused", metadata: ["event": "\(event)", "error": "\(error)"])
                if !completesJob { return }
            }
            if refund {
                write.addsRefund = OrderWrite.Refund(
                    paymentID: paymentID ?? storedPaymentID, reason: "order \(state.rawValue) before the payment was settled",
                    // This charge attempt's span: the refund stays in the order's trace.
                    firstAttemptLease: firstAttemptLease(now: now), traceContext: .current()
                )
            }
            switch try await store.write(write) {
            case .conflict:
                continue
            case .applied(let change):
                if let change {
                    logger.info("order \(change.state.rawValue)", metadata: ["event": "\(event)", "reason": "\(change.cancelReason?.rawValue ?? "")"])
                    OrderMetrics.transition(from: state, to: change.state, reason: OrderMetrics.reason(change.cancelReason, event: event))
                    if change.state == .confirmed, let deliverAt = change.deliverAt { onConfirmed(deliverAt) }
                }
                if let added = write.addsRefund {
                    logger.info("payment approved for a cancelled order; refunding")
                    kick(added.job(for: orderID), logger: logger)
                }
                return
            }
        }
    }
}

extension PaymentDispatcher {
    /// One RefundPayment attempt. Retries every failure but the two that say there is nothing
    /// to refund: money must not be kept by mistake.
    func refund(_ job: PaymentJob, logger: Logger) async throws {
        let request = RefundRequest(
            orderID: job.orderID, paymentID: job.paymentID, reason: job.reason ?? "order cancelled",
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
