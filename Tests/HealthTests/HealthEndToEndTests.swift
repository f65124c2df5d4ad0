import Contracts
import Health
import RPC
import RPCHTTP2
import Testing

/// Serves a `HealthStatusService` on a real `RPCServer` (loopback, a free port) and calls it
/// with the generated `HealthClient` over `HTTP2ClientTransport`; always shuts both down.
func withHealthServer(
    _ health: HealthStatusService, _ body: (HealthClient) async throws -> Void
) async throws {
    var router = RPCRouter()
    router.register(health)
    let server = RPCServer(router: router, config: RPCServer.Config(host: "127.0.0.1", port: 0))
    try await server.start()
    let port = try #require(server.port)
    let transport = HTTP2ClientTransport(config: .defaults(host: "127.0.0.1", port: port))
    do {
        try await body(HealthClient(transport: transport))
    } catch {
        await transport.close()
        await server.shutdown(gracePeriod: .seconds(1))
        throw error
    }
    await transport.close()
    await server.shutdown(gracePeriod: .seconds(1))
}

@Suite("Health over HTTP/2")
struct HealthEndToEndTests {
    @Test("Check answers per service and NOT_FOUND for an unknown name")
    func check() async throws {
        let health = HealthStatusService()
        health.setStatus(.notServing, forService: "orderhub.v1.Payments")
        try await withHealthServer(health) { client in
            #expect(try await client.check(HealthCheckRequest(service: "")).status == .serving)
            #expect(try await client.check(HealthCheckRequest(service: "orderhub.v1.Payments")).status == .notServing)
            do {
                _ = try await client.check(HealthCheckRequest(service: "no.such.Service"))
                Issue.record("Check on an unknown name succeeded, expected NOT_FOUND")
            } catch let error as RPCError {
                #expect(error.code == .notFound)
            }
        }
    }

    @Test("Watch streams SERVICE_UNKNOWN, then the status once set, then each change")
    func watch() async throws {
        let health = HealthStatusService()
        try await withHealthServer(health) { client in
            let seen = try await client.watch(HealthCheckRequest(service: "orderhub.v1.Orders")) { response in
                var seen: [HealthCheckResponse.ServingStatus] = []
                for try await message in response.messages {
                    seen.append(message.status)
                    switch seen.count {
                    case 1: health.setStatus(.serving, forService: "orderhub.v1.Orders")
                    case 2: health.setStatus(.notServing, forService: "orderhub.v1.Orders")
                    default: return seen  // ends the call, cancelling the stream
                    }
                }
                return seen
            }
            #expect(seen == [.serviceUnknown, .serving, .notServing])
        }
    }
}
