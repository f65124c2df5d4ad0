import Contracts
import RPC
import Testing

@testable import Health

@Suite("HealthStatusService: Check")
struct HealthCheckTests {
    let context = ServerContext(path: HealthMethod.check.path)

    @Test("the whole server (\"\") is SERVING by default")
    func wholeServerDefault() async throws {
        let health = HealthStatusService()
        #expect(try await health.check(HealthCheckRequest(service: ""), context: context).status == .serving)
    }

    @Test("a service answers the status last set for it")
    func perServiceStatus() async throws {
        let health = HealthStatusService()
        health.setStatus(.serving, forService: "orderhub.v1.Orders")
        health.setStatus(.notServing, forService: "orderhub.v1.Payments")
        #expect(try await health.check(HealthCheckRequest(service: "orderhub.v1.Orders"), context: context).status == .serving)
        #expect(try await health.check(HealthCheckRequest(service: "orderhub.v1.Payments"), context: context).status == .notServing)
        health.setStatus(.serving, forService: "orderhub.v1.Payments")
        #expect(try await health.check(HealthCheckRequest(service: "orderhub.v1.Payments"), context: context).status == .serving)
    }

    @Test("an unknown or cleared name is NOT_FOUND", arguments: ["no.such.Service", "orderhub.v1.Orders"])
    func unknownIsNotFound(service: String) async throws {
        let health = HealthStatusService()
        health.setStatus(.serving, forService: "orderhub.v1.Orders")
        health.clearStatus(forService: "orderhub.v1.Orders")
        let error = await #expect(throws: RPCError.self) {
            try await health.check(HealthCheckRequest(service: service), context: context)
        }
        #expect(error?.code == .notFound)
    }

    @Test("enterShutdown marks everything NOT_SERVING and later changes are ignored")
    func shutdown() async throws {
        let health = HealthStatusService(statuses: ["": .serving, "a": .serving])
        health.enterShutdown()
        health.setStatus(.serving, forService: "a")
        #expect(health.status(forService: "") == .notServing)
        #expect(health.status(forService: "a") == .notServing)
    }
}
