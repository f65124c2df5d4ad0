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
