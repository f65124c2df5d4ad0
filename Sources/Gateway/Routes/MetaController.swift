import Contracts
import Hummingbird
import RPC

/// The probes (`GET /livez`, `GET /readyz`, and `GET /healthz`, the older name of readiness)
/// and `GET /openapi.json`.
struct MetaController<Context: RequestContext> {
    let gateway: OrdersGateway

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("livez", use: liveness)
        routes.get("readyz", use: health)
        routes.get("healthz", use: health)
        routes.get("openapi.json", use: openAPI)
        return routes
    }

    /// Liveness: the process answers. It never asks Orders, so an Orders outage makes gateway
    /// pods unready (no traffic) but never restarts them.
    @Sendable func liveness(request: Request, context: Context) async throws -> Response {
        var json = JSONWriter()
        json.object { json in
            json.field("status") { $0.string("SERVING") }
            json.field("checks") { json in json.object { json in json.field("gateway") { $0.string("SERVING") } } }
        }
        return .json(json.text, headers: [.cacheControl: "no-store"])
    }

    /// Readiness: serving when the gateway runs and Orders answers `grpc.health.v1.Health/Check` for
    /// `config.healthService` with SERVING: `{"status":"SERVING","checks":{"gateway":"SERVING","orders":"SERVING"}}`.
    /// Otherwise 503 with the same shape, `orders` holding the reason.
    @Sendable func health(request: Request, context: Context) async throws -> Response {
        let orders: String
        do {
            let response = try await gateway.health.check(
                HealthCheckRequest(service: gateway.config.healthService), options: gateway.callOptions(for: request)
            )
            orders = response.status.protoName
        } catch let error as RPCError {
            orders = error.code.name
        }
        var json = JSONWriter()
        json.object { json in
            json.field("status") { $0.string(orders == "SERVING" ? "SERVING" : "NOT_SERVING") }
            json.field("checks") { json in
                json.object { json in
                    json.field("gateway") { $0.string("SERVING") }
                    json.field("orders") { $0.string(orders) }
                }
            }
        }
        return .json(json.text, status: orders == "SERVING" ? .ok : .serviceUnavailable, headers: [.cacheControl: "no-store"])
    }

    @Sendable func openAPI(request: Request, context: Context) async throws -> Response {
        .json(OpenAPIDocument.json)
    }
}
