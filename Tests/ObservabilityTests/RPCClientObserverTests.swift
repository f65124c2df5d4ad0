import Observability
import Prometheus
import RPC
import Testing

/// The client wrapper counts each call under the code it ended with.
@Suite struct RPCClientObserverTests {
    /// Answers `Ok` and fails everything else with UNAVAILABLE.
    struct FakeTransport: ClientTransport {
        func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
            guard method.method == "Ok" else { throw RPCError.unavailable("down") }
            return UnaryResponse(message: request)
        }

        func streaming<Result: Sendable>(
            method: MethodDescriptor, options: CallOptions,
            requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
            onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
        ) async throws -> Result {
            throw RPCError.unavailable("down")
        }
    }

    @Test func countsCallsByCode() async throws {
        let registry = PrometheusCollectorRegistry()
        let transport = RPCClientObserver.wrap(
            FakeTransport(), settings: .init(metrics: true, tracing: false),
            factory: PrometheusMetricsFactory(registry: registry))
        let ok = MethodDescriptor(service: "test.v1.Pay", method: "Ok")
        let down = MethodDescriptor(service: "test.v1.Pay", method: "Down")
        _ = try await transport.unary(method: ok, request: [1], options: .defaults)
        _ = try await transport.unary(method: ok, request: [1], options: .defaults)
        await #expect(throws: RPCError.self) { try await transport.unary(method: down, request: [1], options: .defaults) }
        let text = registry.emitToString()
        #expect(text.contains(#"grpc_client_handled_total{grpc_type="unary",grpc_service="test.v1.Pay",grpc_method="Ok",grpc_code="OK"} 2"#))
        #expect(text.contains(#"grpc_client_handled_total{grpc_type="unary",grpc_service="test.v1.Pay",grpc_method="Down",grpc_code="UNAVAILABLE"} 1"#))
        #expect(text.contains(#"grpc_client_handling_seconds_count{grpc_type="unary",grpc_service="test.v1.Pay",grpc_method="Ok"} 2"#))
    }

    @Test func offReturnsTheTransportItself() {
        let transport = RPCClientObserver.wrap(FakeTransport(), settings: .off)
        #expect(transport is FakeTransport)
    }
}
