import CoreMetrics
import Instrumentation
import RPC
import ServiceContextModule
import Tracing

/// Wraps every method of a router with its metrics and, when tracing is on, a server span.
/// The wrapping happens once, at start-up (`RPCRouter.mapHandlers`): a call pays one closure
/// call, two clock reads, two atomic increments and one histogram update, and no lookups.
///
/// ```swift
/// let router = RPCServerObserver(settings: observability).observe(router)
/// ```
public struct RPCServerObserver: Sendable {
    public let settings: ObservabilitySettings
    private let factory: any MetricsFactory

    /// - Parameter factory: where the metrics go; the bootstrapped `MetricsSystem` by default.
    public init(settings: ObservabilitySettings, factory: any MetricsFactory = MetricsSystem.factory) {
        self.settings = settings
        self.factory = factory
    }

    /// `router` with every handler observed; `router` itself when metrics and tracing are off.
    public func observe(_ router: RPCRouter) -> RPCRouter {
        guard settings.metrics || settings.tracing else { return router }
        return router.mapHandlers { method, handler in observe(handler, of: method) }
    }

    /// Each layer is added only when it is switched on: with metrics alone (the default) a call
    /// goes through one extra closure, not a chain of pass-through wrappers.
    private func observe(_ handler: ServerMethodHandler, of method: MethodDescriptor) -> ServerMethodHandler {
        var handler = handler
        if settings.tracing { handler = Self.traced(handler, method: method) }
        if settings.metrics { handler = Self.measured(handler, by: CallInstruments(side: "server", method: method, factory: factory)) }
        return handler
    }

    private static func measured(_ handler: ServerMethodHandler, by instruments: CallInstruments) -> ServerMethodHandler {
        switch handler {
        case .unary(let run):
            return .unary { request, context in
                try await instruments.measure(deadline: context.deadline) { try await run(request, context) }
            }
        case .immediateUnary(let answer):
            return .immediateUnary { request, context in
                // Counted from the start of the immediate part, through the wait if there is one.
                let start = instruments.start()
                let first: UnaryAnswer
                do {
                    first = try answer(request, context)
                } catch {
                    instruments.finished(CallInstruments.code(of: error, deadline: context.deadline), since: start)
                    throw error
                }
                switch first {
                case .now:
                    instruments.finished(.ok, since: start)
                    return first
                case .later(let rest):
                    return .later { try await instruments.measure(since: start, deadline: context.deadline, rest) }
                }
            }
        case .streaming(let run):
            return .streaming { requests, responses, context in
                try await instruments.measure(deadline: context.deadline) { try await run(requests, responses, context) }
            }
        }
    }

    /// The span name and the tracer are resolved here, once per method: the process bootstraps
    /// its tracer before it mounts the router, and reading the global tracer takes a lock.
    private static func traced(_ handler: ServerMethodHandler, method: MethodDescriptor) -> ServerMethodHandler {
        let span = SpanTemplate(name: "\(method.service)/\(method.method)", method: method, tracer: InstrumentationSystem.tracer)
        switch handler {
        case .unary(let run):
            return .unary { request, context in
                try await span.trace(context: context) { try await run(request, context) }
            }
        case .immediateUnary(let answer):
            // A span is made and ended around the call's task: with tracing on, an immediate
            // method runs as a plain unary one.
            return .unary { request, context in
                try await span.trace(context: context) { try await answer(request, context).response() }
            }
        case .streaming(let run):
            return .streaming { requests, responses, context in
                try await span.trace(context: context) { try await run(requests, responses, context) }
            }
        }
    }
}

/// What every server span of one method shares.
private struct SpanTemplate: Sendable {
    let name: String
    let method: MethodDescriptor
    let tracer: any Tracer

    /// Runs `body` in a server span named `service/method` (OpenTelemetry's RPC convention),
    /// child of the caller's `traceparent` when the request carries one. Attributes are set only
    /// on a span the sampler kept.
    func trace<Result>(context: ServerContext, _ body: () async throws -> Result) async throws -> Result {
        var parent = ServiceContext.topLevel
        tracer.extract(context.requestMetadata, into: &parent, using: MetadataExtractor())
        return try await tracer.withAnySpan(name, context: parent, ofKind: .server) { span in
            let recording = span.isRecording
            if recording {
                span.attributes["rpc.system"] = "grpc"
                span.attributes["rpc.service"] = method.service
                span.attributes["rpc.method"] = method.method
            }
            do {
                let result = try await body()
                if recording { span.attributes["rpc.grpc.status_code"] = 0 }
                return result
            } catch {
                if recording {
                    let code = CallInstruments.code(of: error, deadline: context.deadline)
                    span.attributes["rpc.grpc.status_code"] = code.rawValue
                    span.setStatus(SpanStatus(code: .error, message: code.name))
                }
                throw error
            }
        }
    }
}

/// Reads W3C trace context (`traceparent`, `tracestate`) from a call's request metadata.
public struct MetadataExtractor: Extractor {
    public init() {}

    public func extract(key: String, from carrier: Metadata) -> String? {
        carrier[key]
    }
}
