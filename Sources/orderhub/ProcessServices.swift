import Logging
import ServiceLifecycle

/// A part of the process (a service, the gateway) once launched: what the banner shows, and
/// the `Service`s that run it, in start order. The process runs every part's services in one
/// `ServiceGroup`, which stops them in reverse order: listeners drain first, background
/// loops stop next, connections and databases close last.
struct Launched: Sendable {
    let name: String
    /// Where it listens; waits for a listener that binds when the group runs.
    let address: @Sendable () async throws -> String
    let database: String
    /// `grpc` for the services, `http` for the gateway.
    var scheme = "grpc"
    let services: [any Service]
    /// Where `GET /metrics` answers, for the banner (the gateway's probe port).
    var metrics: String? = nil

    /// Stops a part whose group never ran (a later part failed to launch): runs its
    /// `ShutdownStep`s in reverse order; its loops and applications never started.
    func abandon() async {
        for case let step as ShutdownStep in services.reversed() { await step.stop() }
    }
}

/// Something started before the group runs (a listener, a connection pool, a database): it
/// waits for the group's graceful shutdown (or cancellation), then runs `stop`, which drains
/// or closes it.
struct ShutdownStep: Service {
    let stop: @Sendable () async -> Void

    func run() async {
        // Cancelled instead: stop all the same, at once.
        try? await gracefulShutdown()
        await stop()
    }
}

/// A background loop (the payment dispatcher, the delivery scheduler, a sweeper) run in the
/// group's task; graceful shutdown cancels it, and it returns once its work in flight is done.
struct BackgroundLoop: Service {
    let body: @Sendable () async -> Void

    func run() async {
        await cancelWhenGracefulShutdown { await body() }
    }
}

/// Runs the launched parts, in start order, until SIGTERM or SIGINT (Ctrl-C), then stops them
/// gracefully: the last part first (the gateway before Orders before Payments), each
/// draining its calls for up to the drain period. Prints the banner once every listener is
/// up, the last part (the entry point) first.
enum ProcessLifecycle {
    static func run(_ parts: [Launched], logger: Logger) async throws {
        let services = parts.flatMap(\.services) + [Announcer(parts: parts, logger: logger)]
        // A part that ends or fails on its own stops the rest the same graceful way.
        let group = ServiceGroup(
            configuration: .init(
                services: services.map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
        try await group.run()
        logger.info("stopped")
    }

    /// Prints the banner once every part listens; logs the start of the shutdown, which
    /// reaches it first (it is the group's last service).
    private struct Announcer: Service {
        let parts: [Launched]
        let logger: Logger

        func run() async {
            // No banner when a listener failed (the group is stopping with its error) or the
            // process was stopped before every listener was up.
            if let lines = try? await cancelWhenGracefulShutdown({
                var lines: [Banner.Line] = []
                for part in parts.reversed() {
                    lines.append(Banner.Line(name: part.name, scheme: part.scheme, address: try await part.address(), database: part.database))
                }
                return lines
            }), !Task.isCancelled {
                Banner.print(lines, metrics: parts.compactMap(\.metrics).first)
            }
            try? await gracefulShutdown()
            logger.info("stopping")
        }
    }
}
