import Logging
import Tracing
import Synchronization

/// Works the durable payment jobs: charges new orders through the `PaymentGateway`, retries
/// what may succeed later, cancels orders whose payment timed out, and refunds money taken for
/// orders that ended cancelled.
///
/// A new order's first attempt starts right after its create commits (`kick`); everything
/// else, including every job left by a previous process, is claimed from the store when due.
public final class PaymentDispatcher: Sendable {
    /// Tuning knobs: call deadline, retry backoff, concurrency (docs/orders-and-payments.md, "Jobs").
    public struct Config: Sendable {
        /// Per-call deadline for Payments.
        public var callTimeout: Duration
        /// Waits between retries of UNAVAILABLE / DEADLINE_EXCEEDED.
        public var backoff: Backoff
        /// Waits between attempts once the order is cancelled and the job only asks whether
        /// money was taken (Payments may be gone for long; no need to hammer it).
        public var reconcileBackoff: Backoff
        /// How long a claimed job stays leased beyond the call deadline.
        public var leaseMargin: Duration
        /// Longest sleep between looks at the job table.
        public var pollInterval: Duration
        /// Most attempts running at once; more wait in the table.
        public var maxInFlight: Int

        public init(
            callTimeout: Duration = .seconds(2), backoff: Backoff = Backoff(),
            reconcileBackoff: Backoff = Backoff(base: .seconds(1), cap: .seconds(60)),
            leaseMargin: Duration = .seconds(1), pollInterval: Duration = .seconds(1), maxInFlight: Int = 256
        ) {
            self.callTimeout = callTimeout
            self.backoff = backoff
            self.reconcileBackoff = reconcileBackoff
            self.leaseMargin = leaseMargin
            self.pollInterval = pollInterval
            self.maxInFlight = maxInFlight
        }

        public static var defaults: Config { Config() }

        /// How long a job is leased to whoever runs an attempt.
        var leaseMillis: Int64 { callTimeout.millis + leaseMargin.millis }
    }

    private struct State {
        var inFlight: Set<String> = []
        /// Shutdown's waits for the attempts in flight to end.
        var drained: [CheckedContinuation<Void, Never>] = []
        var loop: Task<Void, Never>?
        var stopped = false
    }

    let store: any OrderStore
    let gateway: any PaymentGateway
    let config: Config
    let deliveryDelay: Duration
    let clock: WallClock
    let logger: Logger
    /// Called with `deliver_at` whenever an order is confirmed.
    let onConfirmed: @Sendable (Int64) -> Void
    /// Whether Payments is refusing our calls (a configuration fault); readiness follows it.
    public let paymentsLink = PaymentsLinkMonitor()
    /// The process's tracer, or nil without one: then an attempt makes no span (a span on the
    /// no-op tracer still costs a locked lookup and its attributes).
    let tracer: (any Tracer)?
    private let state = Mutex(State())
    private let wake = WakeSignal()

    public init(
        store: any OrderStore, gateway: any PaymentGateway, config: Config, deliveryDelay: Duration, clock: WallClock,
        logger: Logger, tracer: (any Tracer)?, onConfirmed: @escaping @Sendable (Int64) -> Void = { _ in }
    ) {
        self.store = store
        self.gateway = gateway
        self.config = config
        self.deliveryDelay = deliveryDelay
        self.clock = clock
        self.logger = logger
        self.onConfirmed = onConfirmed
        self.tracer = tracer
    }

    /// The lease a job created now gets for its in-process first attempt.
    public func firstAttemptLease(now: Int64) -> Int64 { now + config.leaseMillis }

    /// Starts the loop that claims due jobs (every job of an earlier process among them).
    public func start() {
        state.withLock { state in
            guard state.loop == nil, !state.stopped else { return }
            state.loop = Task { await self.claimDueJobs() }
        }
    }

    /// Runs a job now, in this process, if there is room; otherwise it waits in the table
    /// until its lease ends and the loop claims it.
    /// `logger` is the creating call's, so the attempt's lines carry its request id.
    /// The attempt runs in the caller's trace context (the one stored with the job, in memory).
    public func kick(_ job: PaymentJob, logger: Logger? = nil) {
        _ = launch(job, logger: logger, traceContext: ServiceContext.current)
    }

    /// Stops claiming, and waits for the attempts in flight (each ends within its deadline).
    public func shutdown() async {
        let loop = state.withLock { state in
            state.stopped = true
            return state.loop
        }
        loop?.cancel()
        await loop?.value
        await finishAttempts()
    }

    /// Claims due jobs until the task is cancelled, then stops and waits for the attempts in
    /// flight: what `start` and `shutdown` do, for a caller that runs it in its own task (a
    /// `Service`).
    public func run() async {
        await claimDueJobs()
        await finishAttempts()
    }

    /// Refuses new attempts and waits for those in flight.
    private func finishAttempts() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                state.stopped = true
                guard !state.inFlight.isEmpty else { return true }
                state.drained.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Jobs running now (for tests and metrics).
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    private func claimDueJobs() async {
        while !Task.isCancelled {
            do {
                let now = clock.now()
                let next = try await store.earliestJobDue()
                if let next, next <= now {
                    let room = config.maxInFlight - inFlightCount
                    if room > 0 {
                        let jobs = try await store.claimDueJobs(now: now, leaseUntil: now + config.leaseMillis, limit: min(room, 128))
                        for job in jobs where !launch(job) {
                            logger.debug("job already running", metadata: ["order-id": "\(job.orderID)"])
                        }
                        if !jobs.isEmpty { continue }
                    }
                    // At capacity: a finished attempt signals; otherwise look again later.
                    await wake.wait(timeout: config.pollInterval)
                    continue
                }
                let pause = next.map { $0 - now } ?? config.pollInterval.millis
                await wake.wait(timeout: .milliseconds(min(pause, config.pollInterval.millis)))
            } catch {
                logger.error("payment job loop failed; retrying", metadata: ["error": "\(error)"])
                await wake.wait(timeout: config.pollInterval)
            }
        }
    }

    /// Starts an attempt unless the job is already running or there is no room. The attempt's
    /// span is a child of `traceContext`, or else of the context stored with the job.
    private func launch(_ job: PaymentJob, logger: Logger? = nil, traceContext: ServiceContext? = nil) -> Bool {
        let key = "\(job.kind.rawValue):\(job.orderID)"
        let reserved = state.withLock { state in
            guard !state.stopped, state.inFlight.count < config.maxInFlight else { return false }
            return state.inFlight.insert(key).inserted
        }
        guard reserved else { return false }
        // Started outside the lock: starting a task may wake a thread, and every launch and
        // every finished attempt waited on the lock meanwhile. Shutdown waits for `inFlight`
        // to empty, so no handle is kept.
        Task {
            await self.attempt(job, logger: logger ?? self.logger, traceContext: traceContext)
            self.finished(key)
        }
        return true
    }

    private func finished(_ key: String) {
        let drained = state.withLock { state in
            state.inFlight.remove(key)
            guard state.inFlight.isEmpty else { return [CheckedContinuation<Void, Never>]() }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in drained { waiter.resume() }
        // Room for a job that waited, and a fresh look at when the next job is due (a failed
        // attempt leaves its job leased until a time the loop may not have seen yet).
        wake.signal()
    }

    private func attempt(_ job: PaymentJob, logger: Logger, traceContext: ServiceContext?) async {
        var logger = logger
        logger[metadataKey: "order-id"] = "\(job.orderID)"
        logger[metadataKey: "job"] = "\(job.kind.rawValue)"
        do {
            // A kicked job runs in the creating call's context; a claimed one (a retry, a job
            // left by a restart or another replica) in the context stored with it. Either way
            // the attempt and its Payments call join the order's trace.
            let run = {
                switch job.kind {
                case .charge: try await self.charge(job, logger: logger)
                case .refund: try await self.refund(job, logger: logger)
                }
            }
            guard let tracer else { return try await run() }
            let parent = traceContext ?? job.traceContext?.serviceContext ?? .topLevel
            try await tracer.withAnySpan("payment attempt", context: parent, ofKind: .internal) { span in
                span.attributes["orderhub.job"] = job.kind.rawValue
                span.attributes["orderhub.attempt"] = job.attempts + 1
                try await run()
            }
        } catch {
            // The job stays leased; the loop claims it again when the lease ends.
            logger.error("payment job attempt failed", metadata: ["job": "\(job.kind.rawValue)", "error": "\(error)"])
        }
    }

    /// Puts a job back in the table for a later attempt.
    func reschedule(_ job: PaymentJob, after millis: Int64, notAfter ceiling: Int64? = nil) async throws {
        var next = clock.now() + millis
        if let ceiling { next = min(next, ceiling) }
        try await store.rescheduleJob(orderID: job.orderID, kind: job.kind, attempts: job.attempts + 1, nextAttemptAt: next)
        wake.signal()
    }

    /// Whether a failed ProcessPayment call is Payments refusing this charge for good: the
    /// request itself is wrong (a malformed token, an amount out of range), so nothing was
    /// charged and asking again gets the same answer.
    ///
    /// Every other failure is retried until the payment timeout: the network, and a
    /// misconfigured deployment (a wrong service secret, a wrong address), which says nothing
    /// about the customer's payment and must not decline their order.
    static func isFinalRefusal(_ error: any Error) -> Bool {
        (error as? PaymentGatewayError)?.kind == .refused
    }

    /// Calls Payments, and tells `paymentsLink` what the outcome says about the deployment:
    /// a refusal of the caller itself (wrong secret, certificate or address) is a fault only an
    /// operator can fix; any answer about the payment proves the link is configured right; a
    /// network failure proves neither and leaves the state as it was.
    func callingPayments<Result>(_ call: () async throws -> Result) async throws -> Result {
        do {
            let result = try await call()
            paymentsLink.record(.healthy)
            return result
        } catch {
            if let error = error as? PaymentGatewayError {
                switch error.kind {
                case .callerRejected: paymentsLink.record(.refused(reason: error.message))
                case .unreachable: break
                case .refused, .nothingToRefund, .failed: paymentsLink.record(.healthy)
                }
            }
            throw error
        }
    }

    /// Whether a failure is the network being slow or away, the expected kind of trouble; any
    /// other retried failure is logged as an error, since someone has to fix something.
    static func isTransient(_ error: any Error) -> Bool {
        (error as? PaymentGatewayError)?.kind == .unreachable
    }
}
