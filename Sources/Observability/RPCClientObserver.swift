import CoreMetrics
import Instrumentation
import RPC
import ServiceContextModule
import Synchronization
import Tracing

/// A client transport that records each call's metrics (`grpc_client_*`) and, when tracing is
/// on, runs it in a client span whose context goes out as `traceparent`/`tracestate` metadata.
public struct RPCClientObserver: CallbackClientTransport {
    private let base: any ClientTransport
    /// `base` when it makes unary calls without a task (cast once, not per call).
    private let callbacks: (any CallbackClientTransport)?
    private let settings: ObservabilitySettings
    private let instruments: InstrumentCache

    /// `base` observed; `base` itself when both metrics and tracing are off.
    /// - Parameter factory: where the metrics go; the bootstrapped `MetricsSystem` by default.
    public static func wrap(
        _ base: any ClientTransport, settings: ObservabilitySettings, factory: any MetricsFactory = MetricsSystem.factory
    ) -> any ClientTransport {
        guard settings.metrics || settings.tracing else { return base }
        return RPCClientObserver(base: base, settings: settings, factory: factory)
    }

    private init(base: any ClientTransport, settings: ObservabilitySettings, factory: any MetricsFactory) {
        self.base = base
        self.callbacks = base as? any CallbackClientTransport
        self.settings = settings
        self.instruments = InstrumentCache(factory: factory)
    }

    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        try await observe(method, options) { try await base.unary(method: method, request: request, options: $0) }
    }

    /// See `CallbackClientTransport`. With only metrics on, the call is counted around the
    /// base's own callback call (no task); a base without one, or tracing (whose span needs a
    /// task-local context), takes the `async` call in a task.
    public func unary(
        method: MethodDescriptor, request: [UInt8], options: CallOptions,
        completion: @escaping @Sendable (Swift.Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    ) {
        guard !settings.tracing, let callbacks else {
            Task {
                do {
                    completion(.success(try await unary(method: method, request: request, options: options)))
                } catch {
                    completion(.failure(error))
                }
            }
            return
        }
        guard settings.metrics else { return callbacks.unary(method: method, request: request, options: options, completion: completion) }
        let instruments = instruments.instruments(for: method)
        let start = instruments.start()
        callbacks.unary(method: method, request: request, options: options) { result in
            switch result {
            case .success: instruments.finished(.ok, since: start)
            case .failure(let error): instruments.finished(CallInstruments.code(of: error, deadline: nil), since: start)
            }
            completion(result)
        }
    }

    public func streaming<Result: Sendable>(
        method: MethodDescriptor, options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        try await observe(method, options) {
            try await base.streaming(method: method, options: $0, requestProducer: requestProducer, onResponse: onResponse)
        }
    }

    private func observe<Result>(
        _ method: MethodDescriptor, _ options: CallOptions, _ call: (CallOptions) async throws -> Result
    ) async throws -> Result {
        guard settings.metrics else { return try await traced(method, options, call) }
        return try await instruments.instruments(for: method).measure(deadline: nil) {
            try await traced(method, options, call)
        }
    }

    /// `call` in a client span whose context goes out in the request metadata, when tracing is on.
    private func traced<Result>(
        _ method: MethodDescriptor, _ options: CallOptions, _ call: (CallOptions) async throws -> Result
    ) async throws -> Result {
        guard settings.tracing else { return try await call(options) }
        return try await withSpan("\(method.service)/\(method.method)", ofKind: .client) { span in
            span.attributes["rpc.system"] = "grpc"
            span.attributes["rpc.service"] = method.service
            span.attributes["rpc.method"] = method.method
            var options = options
            InstrumentationSystem.instrument.inject(span.context, into: &options.metadata, using: MetadataInjector())
            do {
                return try await call(options)
            } catch {
                let code = CallInstruments.code(of: error, deadline: nil)
                span.attributes["rpc.grpc.status_code"] = code.rawValue
                span.setStatus(SpanStatus(code: .error, message: code.name))
                throw error
            }
        }
    }
}

/// Per-method client instruments, made on a method's first call. A client calls a handful of
/// methods, so the lookup is one small dictionary read under an uncontended lock.
private final class InstrumentCache: Sendable {
    private let byPath = Mutex<[String: CallInstruments]>([:])
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func instruments(for method: MethodDescriptor) -> CallInstruments {
        byPath.withLock { cache in
            if let found = cache[method.path] { return found }
            let made = CallInstruments(side: "client", method: method, factory: factory)
            cache[method.path] = made
            return made
        }
    }
}

/// Writes W3C trace context into a call's request metadata.
public struct MetadataInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.replace(key, value)
    }
}
