import Observability
import Prometheus
import RPC
import Testing

/// The server wrapper counts each call once, under the code the client sees, and times it;
/// with metrics and tracing off it leaves the router alone.
@Suite struct RPCServerObserverTests {
    static let ok = MethodDescriptor(service: "test.v1.Echo", method: "Ok")
    static let missing = MethodDescriptor(service: "test.v1.Echo", method: "Missing")
    static let late = MethodDescriptor(service: "test.v1.Echo", method: "Late")
    static let stream = MethodDescriptor(service: "test.v1.Echo", method: "Stream", kind: .serverStreaming)

    static func router() -> RPCRouter {
        var router = RPCRouter()
        router.register(ok, handler: .unary { request, _ in UnaryResponse(message: request) })
        router.register(missing, handler: .unary { _, _ in throw RPCError.notFound("no such thing") })
        router.register(late, handler: .unary { _, _ in throw CancellationError() })
        router.register(stream, handler: .streaming { _, _, _ in [:] })
        return router
    }

    static func call(_ router: RPCRouter, _ method: MethodDescriptor, deadline: ContinuousClock.Instant? = nil) async {
        guard case .unary(let handler) = router.handler(forPath: method.path) else { return }
        _ = try? await handler([1, 2, 3], ServerContext(path: method.path, deadline: deadline))
    }

    @Test func countsEachCallUnderItsCode() async throws {
        let registry = PrometheusCollectorRegistry()
        let observed = RPCServerObserver(settings: .init(metrics: true, tracing: false), factory: PrometheusMetricsFactory(registry: registry))
            .observe(Self.router())
        for _ in 0..<3 { await Self.call(observed, Self.ok) }
        await Self.call(observed, Self.missing)
        await Self.call(observed, Self.late, deadline: .now - .seconds(1))
        let text = registry.emitToString()
        #expect(text.contains(#"grpc_server_handled_total{grpc_type="unary",grpc_service="test.v1.Echo",grpc_method="Ok",grpc_code="OK"} 3"#))
        #expect(text.contains(#"grpc_server_started_total{grpc_type="unary",grpc_service="test.v1.Echo",grpc_method="Ok"} 3"#))
        #expect(text.contains(#"grpc_method="Missing",grpc_code="NOT_FOUND"} 1"#))
        #expect(text.contains(#"grpc_method="Late",grpc_code="DEADLINE_EXCEEDED"} 1"#))
        #expect(text.contains(#"grpc_server_handling_seconds_count{grpc_type="unary",grpc_service="test.v1.Echo",grpc_method="Ok"} 3"#))
        // A code never seen has no series.
        #expect(!text.contains(#"grpc_method="Ok",grpc_code="INTERNAL""#))
    }

    @Test func streamingMethodsCarryTheirType() async throws {
        let registry = PrometheusCollectorRegistry()
        let observed = RPCServerObserver(settings: .init(metrics: true, tracing: false), factory: PrometheusMetricsFactory(registry: registry))
            .observe(Self.router())
        guard case .streaming(let handler) = observed.handler(forPath: Self.stream.path) else {
            Issue.record("the streaming method is no longer streaming")
            return
        }
        let (requests, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        continuation.finish()
        let writer = ServerResponseWriter(sendInitialMetadata: { _ in }, messages: RPCWriter { _ in })
        _ = try await handler(RPCAsyncSequence(wrapping: requests), writer, ServerContext(path: Self.stream.path))
        #expect(registry.emitToString().contains(#"grpc_type="server_stream",grpc_service="test.v1.Echo",grpc_method="Stream",grpc_code="OK"} 1"#))
    }

    static let quick = MethodDescriptor(service: "test.v1.Echo", method: "Quick")

    /// An immediate method is counted once whichever way it answers: at once (`[1]`), after
    /// waiting (anything else), or failing at once (`[]`), and stays immediate with metrics on.
    @Test func immediateMethodsAreCountedOnceEitherWay() async throws {
        var router = RPCRouter()
        router.register(
            Self.quick,
            handler: .immediateUnary { request, _ in
                if request.isEmpty { throw RPCError.notFound("nothing") }
                return request == [1] ? .now(UnaryResponse(message: request)) : .later { UnaryResponse(message: request) }
            })
        let registry = PrometheusCollectorRegistry()
        let observed = RPCServerObserver(settings: .init(metrics: true, tracing: false), factory: PrometheusMetricsFactory(registry: registry))
            .observe(router)
        guard case .immediateUnary(let answer) = observed.handler(forPath: Self.quick.path) else {
            Issue.record("metrics turned the immediate method into a plain one")
            return
        }
        let context = ServerContext(path: Self.quick.path)
        guard case .now = try answer([1], context) else {
            Issue.record("not answered at once")
            return
        }
        let later = try answer([2], context)
        #expect(!registry.emitToString().contains(#"grpc_method="Quick",grpc_code="OK"} 2"#), "counted before it answered")
        _ = try await later.response()
        #expect(throws: RPCError.self) { try answer([], context) }
        let text = registry.emitToString()
        #expect(text.contains(#"grpc_server_started_total{grpc_type="unary",grpc_service="test.v1.Echo",grpc_method="Quick"} 3"#))
        #expect(text.contains(#"grpc_method="Quick",grpc_code="OK"} 2"#))
        #expect(text.contains(#"grpc_method="Quick",grpc_code="NOT_FOUND"} 1"#))
    }

    @Test func offLeavesTheRouterUnobserved() async throws {
        let registry = PrometheusCollectorRegistry()
        let observed = RPCServerObserver(settings: .off, factory: PrometheusMetricsFactory(registry: registry)).observe(Self.router())
        await Self.call(observed, Self.ok)
        #expect(!registry.emitToString().contains("grpc_server"))
        #expect(observed.paths == Self.router().paths)
    }
}
