import Contracts
import Health
import CoreMetrics
import Logging
import Observability
import Orders
import RPC
import RPCHTTP2
import ServiceAuth
import ServiceLifecycle

/// Starts the Orders service: its database, its client to Payments, its gRPC server (listening
/// when this returns) and, as services of the process's group, its background loops (the
/// dispatcher and scheduler resume what an earlier process left).
enum OrdersLaunch {
    /// Behaviour settings from the command line.
    struct Behaviour {
        var paymentTimeout: Duration
        var deliveryDelay: Duration
        var callTimeout: Duration
        var eventRetention: Duration
        var sweepInterval: Duration
        var feedBuffer: Int
        var orderCacheSize: Int
    }

    static func start(
        listen: Address, server serverConfig: RPCServer.Config, metrics: Address?, database: DatabaseLocation, secret: String, payments: Peer,
        behaviour: Behaviour, authentication: CallerAuthentication, drain: Duration, telemetry: Telemetry, logger: Logger
    ) async throws -> Launched {
        var serviceLogger = logger
        serviceLogger[metadataKey: "service"] = "orders"
        let logger = serviceLogger
        try database.prepare()
        let store = try await OrderStoreFactory.open(
            database.store, connectTimeout: database.connectTimeout, orderCacheSize: behaviour.orderCacheSize, logger: logger
        )
        // Reconnect to Payments quickly once it is back: a waiting payment has a deadline. Up to
        // 256 payment attempts run at once, more than one connection's 100 streams: more
        // connections open as needed rather than calls queueing behind a full one.
        let transport = ConnectionLanes(config: payments.transportConfig, maxConnections: 4)
        let signer = ServiceTokenSigner(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        var config = OrderSystem.Config.defaults
        config.paymentTimeout = behaviour.paymentTimeout
        config.deliveryDelay = behaviour.deliveryDelay
        config.dispatcher.callTimeout = behaviour.callTimeout
        config.orderEventRetention = behaviour.eventRetention
        config.sweepInterval = behaviour.sweepInterval
        config.feed.bufferSize = behaviour.feedBuffer
        let system = OrderSystem(
            store: store, gateway: GRPCPaymentGateway(transport: RPCClientObserver.wrap(transport, settings: telemetry.settings), signer: signer),
            config: config, logger: logger
        )
        let (router, health) = ServiceListeners.router(
            serving: OrdersServiceHandler(system: system, authentication: authentication, logger: logger), name: "orderhub.v1.Orders",
            telemetry: telemetry
        )
        // Readiness: NOT_SERVING while the database does not answer, or while Payments refuses
        // our calls (a wrong service secret is a deployment fault to surface, never a reason to
        // decline a customer's payment).
        let readiness = Readiness(health: health, service: "orderhub.v1.Orders")
        system.dispatcher.paymentsLink.observe { state in
            switch state {
            case .healthy:
                readiness.set("calls to Payments", failure: nil, logger: logger)
            case .refused(let reason):
                logger.error(
                    "Payments refuses Orders' calls: orderhub.v1.Orders is NOT_SERVING until a call succeeds",
                    metadata: ["error": "\(reason)"])
                readiness.set("calls to Payments", failure: reason, logger: logger)
            }
        }
        // The database check also reads the payment backlog gauges.
        let databaseWatch = readiness.watchDatabase(every: DatabaseLocation.checkInterval, logger: logger) { try await system.refreshBacklog() }
        let server = RPCServer(router: router, config: serverConfig)
        let probes = try await ServiceListeners.start(
            server, service: "Orders", listen: listen, metrics: metrics, health: health, telemetry: telemetry,
            databaseWatch: databaseWatch, logger: logger,
            close: {
                await transport.close()
                try? await store.close()
            }
        )
        let connections = Gauge(label: "orderhub_connections", dimensions: [("listener", "orders")])
        let watchStreams = Gauge(label: "orderhub_watch_streams", dimensions: [("service", "orders")])
        telemetry.metrics.refreshBeforeScrape {
            connections.record(server.connectionCount)
            watchStreams.record(system.watchStreamCount)
        }
        let bound = Address(host: listen.host, port: server.port ?? listen.port)
        logger.info("orders listening", metadata: ["address": "\(bound)", "db": "\(database)", "payments": "\(payments)"])
        // Stopped in reverse: the server drains, then the probes stop, then the loops (waiting
        // for payment attempts in flight), then the client and the database close.
        let services: [any Service] = [
            ShutdownStep {
                await transport.close()
                do { try await store.close() } catch { logger.error("closing the database failed", metadata: ["error": "\(error)"]) }
                logger.info("orders stopped")
            },
            BackgroundLoop { await system.dispatcher.run() },
            BackgroundLoop { await system.delivery.run() },
            BackgroundLoop { await system.sweeper.run() },
            ShutdownStep { await probes?.shutdown(gracePeriod: .zero) },
            ShutdownStep {
                // NOT_SERVING first, so probes and balancers stop sending before the drain.
                health.enterShutdown()
                databaseWatch.cancel()
                system.endWatches()
                await server.shutdown(gracePeriod: drain)
            },
        ]
        return Launched(
            name: "orders", address: { bound.description }, database: database.description,
            scheme: serverConfig.tls == nil ? "grpc" : "grpcs", services: services
        )
    }
}
