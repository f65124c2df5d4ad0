import Contracts
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import RPC
import TLSSupport

/// A gateway on an in-process fake Orders service, and the fakes to inspect.
struct GatewayFixture {
    let orders = FakeOrders()
    let health = FakeHealth()
    let transport: InProcessTransport
    let gateway: OrdersGateway

    /// With `devSignIn`, `POST /v1/dev/sign-in` answers `token-for-<customer>`.
    init(config: OrdersGateway.Config = .testing, devSignIn: Bool = true) {
        transport = InProcessTransport(services: [orders, health])
        var gateway = OrdersGateway(config: config, transport: transport)
        if devSignIn {
            gateway.devSignIn = DevSignIn { customer in ("token-for-" + customer, 1_800_000_000_000) }
        }
        self.gateway = gateway
    }

    /// Runs `body` against the router, in process (no socket).
    func withRouter(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(gateway))
        try await app.test(.router, body)
    }

    /// Runs `body` against a real server on a free loopback port; HTTPS only with `tls` (the
    /// test client then serves only to learn the port).
    func withLiveServer(tls: ReloadableTLSContext? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var config = gateway.config
        config.host = "127.0.0.1"
        config.port = 0
        let app = buildApplication(OrdersGateway(config: config, transport: transport), tls: tls)
        try await app.test(.live, body)
    }
}

extension OrdersGateway.Config {
    /// Defaults on a free loopback port, with SSE heartbeats every 50 ms. The header read
    /// timeout stays at its default: it also closes a keep-alive connection that sends no next
    /// request in time, and a short one would cut tests' connections on a loaded machine.
    static var testing: OrdersGateway.Config {
        var config = OrdersGateway.Config.defaults
        config.host = "127.0.0.1"
        config.port = 0
        config.heartbeatInterval = .milliseconds(50)
        return config
    }

    /// `testing` with a 2 s header read timeout, for the tests of that limit: short enough for a
    /// test, long enough that a connection and its TLS handshake on a loaded machine fit in it.
    static var shortHeaderReadTimeout: OrdersGateway.Config {
        var config = testing
        config.headerReadTimeout = .seconds(2)
        return config
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body parsed as JSON.
    func json() throws -> JSONValue {
        try JSONValue(parsing: Array(body.readableBytesView))
    }

    /// `code` and `message` of an error body; fails the test when the body is not that shape.
    func errorBody() throws -> (code: Int, message: String) {
        guard case .object(let fields) = try json(),
            case .number(let code)? = fields["code"], case .string(let message)? = fields["message"],
            case .array(let details)? = fields["details"], details.isEmpty, fields.count == 3
        else {
            throw FixtureError("not an error body: \(text)")
        }
        return (Int(code)!, message)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields[key]
    }

    var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }
}
