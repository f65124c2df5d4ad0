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
            Orders needs a customer-token key (--user-jwt-secret-file or --user-jwks-file); `serve` makes one under its data directory.
            """,
        subcommands: [
            ServeCommand.self, OrdersCommand.self, PaymentsCommand.self, GatewayCommand.self, OrderCommand.self, TokenCommand.self,
            DevCertsCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
