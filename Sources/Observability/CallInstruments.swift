import CoreMetrics
import RPC
import Synchronization

/// The metrics of one RPC method on one side (server or client), resolved once when the method
/// is mounted or first called, so a call only bumps counters and records a duration: no label
/// strings are looked up or built per call.
///
/// The names are the ones gRPC dashboards already use (`grpc_server_handled_total`,
/// `grpc_client_handling_seconds`, …), labelled `grpc_type`, `grpc_service`, `grpc_method` and,
/// on the handled counter, `grpc_code`.
final class CallInstruments: Sendable {
    /// `server` or `client`: the metric names' second word.
    let side: String
    private let labels: [(String, String)]
    private let started: Counter
    private let handledOK: Counter
    /// The other codes' counters, made on first use: most methods never see most codes, and
    /// a series that was never incremented is noise on a dashboard.
    private let handledOther = Mutex<[Counter?]>(Array(repeating: nil, count: StatusCode.allCases.count))
    private let handling: CoreMetrics.Timer
    private let factory: any MetricsFactory

    init(side: String, method: MethodDescriptor, factory: any MetricsFactory) {
        self.side = side
        self.factory = factory
        labels = [("grpc_type", Self.type(of: method.kind)), ("grpc_service", method.service), ("grpc_method", method.method)]
        started = Counter(label: "grpc_\(side)_started_total", dimensions: labels, factory: factory)
        handledOK = Counter(label: "grpc_\(side)_handled_total", dimensions: labels + [("grpc_code", StatusCode.ok.name)], factory: factory)
        handling = CoreMetrics.Timer(label: "grpc_\(side)_handling_seconds", dimensions: labels, factory: factory)
    }

    /// A call began; returns its start, for `finished(_:since:)`.
    func start() -> ContinuousClock.Instant {
        started.increment()
        return .now
    }

    /// Runs one call's `body`, counting it started and handled (with the status it ended with)
    /// and recording how long it took.
    @inline(__always)
    func measure<Result>(deadline: ContinuousClock.Instant?, _ body: () async throws -> Result) async throws -> Result {
        try await measure(since: start(), deadline: deadline, body)
    }

    /// The same for a call counted as started at `start` (see `start()`).
    @inline(__always)
    func measure<Result>(
        since start: ContinuousClock.Instant, deadline: ContinuousClock.Instant?, _ body: () async throws -> Result
    ) async throws -> Result {
        do {
            let result = try await body()
            finished(.ok, since: start)
            return result
        } catch {
            finished(Self.code(of: error, deadline: deadline), since: start)
            throw error
        }
    }

    /// A call ended with `code`.
    func finished(_ code: StatusCode, since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        handling.recordNanoseconds(elapsed.nanoseconds)
        if code == .ok {
            handledOK.increment()
            return
        }
        let counter = handledOther.withLock { counters in
            if let counter = counters[code.rawValue] { return counter }
            let counter = Counter(label: "grpc_\(side)_handled_total", dimensions: labels + [("grpc_code", code.name)], factory: factory)
            counters[code.rawValue] = counter
            return counter
        }
        counter.increment()
    }

    /// gRPC's names for the four call shapes, as go-grpc-prometheus labels them.
    static func type(of kind: MethodDescriptor.Kind) -> String {
        switch kind {
        case .unary: "unary"
        case .serverStreaming: "server_stream"
        case .clientStreaming: "client_stream"
        case .bidirectionalStreaming: "bidi_stream"
        }
    }

    /// The status a call's error ends it with, as the transport reports it: an `RPCError` its
    /// code, a cancelled handler CANCELLED (DEADLINE_EXCEEDED once its deadline has passed),
    /// anything else INTERNAL.
    static func code(of error: any Error, deadline: ContinuousClock.Instant?) -> StatusCode {
        if let error = error as? RPCError { return error.code }
        if error is CancellationError {
            if let deadline, deadline <= .now { return .deadlineExceeded }
            return .cancelled
        }
        return .internal
    }
}

extension Duration {
    /// Whole nanoseconds (saturating), as swift-metrics' timers take them.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}

/// What a process observes: metrics (on unless turned off, e.g. for a benchmark's baseline)
/// and traces (on when an OTLP endpoint is configured and the tracer was bootstrapped).
/// Decided once at start-up; the call paths check these two flags instead of paying for
/// no-op instruments.
public struct ObservabilitySettings: Sendable, Hashable {
    public var metrics: Bool
    public var tracing: Bool

    public init(metrics: Bool, tracing: Bool) {
        self.metrics = metrics
        self.tracing = tracing
    }

    /// Nothing observed: the call paths run exactly as without this module.
    public static var off: ObservabilitySettings { ObservabilitySettings(metrics: false, tracing: false) }
}
