import ArgumentParser

/// The one orderhub executable: the services, the all-in-one local run, and a small client.
@main
struct OrderHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderhub",
        abstract: "Orders and Payments over gRPC, durable on SQLite or PostgreSQL.",
        discussion: """
            Every option falls back to an ORDERHUB_* environment variable (named in its help), then to a default.
            Secrets are read from files (--service-secret-file) or ORDERHUB_SERVICE_SECRET.
            """,
        subcommands: [ServeCommand.self, OrdersCommand.self, PaymentsCommand.self, GatewayCommand.self, OrderCommand.self, DevCertsCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
