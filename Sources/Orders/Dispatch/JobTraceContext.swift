import Instrumentation
import ServiceContextModule

/// The W3C trace context of the call that created a payment job (`traceparent`, and
/// `tracestate` when the trace has one), stored with the job (`payment_jobs.trace_parent`,
/// `payment_jobs.trace_state`). An attempt claimed from the table later, by this process after
/// a retry wait or a restart, or by another replica, runs as a child of it, so the order's
/// trace shows every attempt and its Payments call, not only the first one.
///
/// Made and read through the bootstrapped instrument, like the context on the wire: without a
/// tracer nothing is stored, and a stored context means nothing to a process without one.
public struct JobTraceContext: Sendable, Hashable {
    /// The `traceparent` value: version, trace id, parent span id, flags.
    public var traceParent: String
    /// The `tracestate` value, when the trace carries vendor state.
    public var traceState: String?

    public init(traceParent: String, traceState: String? = nil) {
        self.traceParent = traceParent
        self.traceState = traceState
    }

    /// The current task's trace context (the span of the call being served), or nil when no
    /// span is active or tracing is off.
    public static func current() -> JobTraceContext? {
        guard let context = ServiceContext.current else { return nil }
        var carrier = Carrier()
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: CarrierAccess())
        return carrier.traceParent.map { JobTraceContext(traceParent: $0, traceState: carrier.traceState) }
    }

    /// A context whose span is this one, as the parent of an attempt's span.
    public var serviceContext: ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(
            Carrier(traceParent: traceParent, traceState: traceState), into: &context, using: CarrierAccess()
        )
        return context
    }

    /// The two W3C fields; any other key an instrument writes is not kept.
    private struct Carrier {
        var traceParent: String?
        var traceState: String?
    }

    private struct CarrierAccess: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout Carrier) {
            switch key {
            case "traceparent": carrier.traceParent = value
            case "tracestate": carrier.traceState = value
            default: break
            }
        }

        func extract(key: String, from carrier: Carrier) -> String? {
            switch key {
            case "traceparent": carrier.traceParent
            case "tracestate": carrier.traceState
            default: nil
            }
        }
    }
}
