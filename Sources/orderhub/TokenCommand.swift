import ArgumentParser
import CustomerAuth

/// `orderhub token --customer alice [--admin] [--ttl SECONDS]`: prints a customer token signed
/// with the local HS256 secret (by default the key file `serve` made), for the CLI, curl or
/// a gRPC tool: `export ORDERHUB_TOKEN=$(orderhub token --customer alice)`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a customer token signed with the local user-token secret."
    )

    @Option(help: "The customer id (the token's sub).")
    var customer: String

    @Flag(help: "Add the orders:admin scope: act on every customer's orders.")
    var admin = false

    @Option(help: "Seconds the token is valid (default 3600).")
    var ttl: Double?

    @Option(help: "Directory holding user-token.key when no secret is given (ORDERHUB_DATA_DIR; default ./data).")
    var dataDir: String?

    @OptionGroup var userToken: UserTokenOptions

    func run() async throws {
        guard !customer.isEmpty, customer.utf8.count <= 64 else { throw ValidationError("--customer must be 1 to 64 bytes") }
        let lifetime = try Setting.seconds(ttl, env: "ORDERHUB_TOKEN_TTL", name: "ttl", default: 3600)
        let secret =
            try userToken.secret()
            ?? UserTokenOptions.readSecret(UserTokenKeyFile.path(dataDir: Setting.string(dataDir, env: "ORDERHUB_DATA_DIR", default: "./data")))
        let signer = try await userToken.signer(secret: secret)
        let (token, _) = try await signer.token(customer: customer, admin: admin, lifetime: lifetime)
        Console.out(token + "\n")
    }
}
