import Gateway
import Hummingbird
import Logging
import RPCHTTP2

/// Starts the REST gateway: a client transport to Orders and the Hummingbird server.
enum GatewayLaunch {
    static func start(
        listen: Address, orders: Address, config: OrdersGateway.Config, devSignIn: DevSignIn? = nil, logger: Logger
    ) async throws -> RunningService {
        var serviceLogger = logger
        serviceLogger[metadataKey: "service"] = "gateway"
        let logger = serviceLogger
        var config = config
        config.host = listen.host
        config.port = listen.port
        // A connection per event loop: a request's RPC stays on the thread that read it.
        let transport = LoopLocalClientTransport(config: .init(
            host: orders.host, port: orders.port, connectTimeout: .seconds(2),
            backoffInitial: .milliseconds(100), backoffMaximum: .seconds(2)
        ))
        let (bound, boundContinuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        var gateway = OrdersGateway(config: config, transport: transport)
        gateway.devSignIn = devSignIn
        let app = buildApplication(gateway, logger: logger) { port in
            boundContinuation.yield(port)
        }
        let server = Task {
            do {
                try await app.run()
                boundContinuation.finish()
            } catch {
                boundContinuation.finish(throwing: error)
            }
        }
        let port: Int
        do {
            var ports = bound.makeAsyncIterator()
            guard let first = try await ports.next() else { throw SettingError("the gateway stopped before listening") }
            port = first
        } catch {
            server.cancel()
            await transport.close()
            throw SettingError("the gateway cannot listen on \(listen): \(error)")
        }
        let address = Address(host: listen.host, port: port)
        logger.info("gateway listening", metadata: ["address": "\(address)", "orders": "\(orders)"])
        return RunningService(name: "gateway", address: address.description, database: "orders at \(orders)", scheme: "http") { _ in
            server.cancel()
            _ = await server.result
            await transport.close()
            logger.info("gateway stopped")
        }
    }
}
