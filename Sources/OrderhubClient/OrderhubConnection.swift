// `import OrderhubClient` is all a client needs: the generated messages and typed clients
// (Contracts), the RPC core (status, errors, metadata, call options), the HTTP/2 transport and
// its TLS settings.
@_exported import Contracts
@_exported import RPC
@_exported import RPCHTTP2
@_exported import TLSSupport

/// A connection to an orderhub Orders service for another Swift program: the HTTP/2 transport
/// and the typed `OrdersClient` on it, every call carrying the customer's token.
///
/// ```swift
/// let orderhub = try OrderhubConnection(orders: "127.0.0.1:50051", token: token)
/// let order = try await orderhub.orders.createOrder(
///     .init(items: [.init(sku: "tea", quantity: 2, unitPriceCents: 450)], currency: "EUR", paymentToken: "tok_approve"),
///     options: .init(timeout: .seconds(10)))
/// try await orderhub.orders.watchOrder(.init(id: order.id)) { response in
///     for try await change in response.messages { print(change.state) }
/// }
/// await orderhub.close()
/// ```
///
/// Payments is called the same way with its own address and a service token:
/// `PaymentsClient(transport: BearerTokenTransport(HTTP2ClientTransport(...), token: serviceToken))`.
public struct OrderhubConnection: Sendable {
    /// The connection to Orders; `close()` closes it.
    public let transport: HTTP2ClientTransport
    /// Typed calls to `orderhub.v1.Orders`, each with the token.
    public let orders: OrdersClient

    /// Connects (lazily, on the first call) to Orders at `orders`, a target such as
    /// `127.0.0.1:50051`, `orders:50051` or `dns:///orders:50051`. `token` is the customer
    /// token (`orderhub token --customer alice` prints one); nil sends none, which only an
    /// Orders started with `--insecure-no-user-auth` accepts. `tls` makes the connection TLS
    /// (nil: cleartext HTTP/2).
    public init(orders target: String, token: String?, tls: ReloadableTLSContext? = nil) throws {
        let target = try ClientTarget(parsing: target)
        self.init(config: .init(host: target.host, port: target.port, tls: tls), token: token)
    }

    /// Connects with every setting of `config` (timeouts, limits, compression, resolver, TLS).
    public init(config: HTTP2ClientTransport.Config, token: String?) {
        let transport = HTTP2ClientTransport(config: config)
        self.transport = transport
        self.orders = OrdersClient(transport: token.map { BearerTokenTransport(transport, token: $0) } ?? transport)
    }

    /// Closes the connections; calls in flight fail with UNAVAILABLE, and so do later ones.
    public func close() async {
        await transport.close()
    }
}
