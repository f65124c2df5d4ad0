/// A started service: what it is, where it listens, and how to stop it.
struct RunningService: Sendable {
    let name: String
    let address: String
    let database: String
    /// `grpc` for the services, `http` for the gateway.
    var scheme = "grpc"
    /// The cleartext probe and metrics listener, when there is one.
    var probesAddress: String?
    /// Drains open calls (up to the grace period), stops background work, closes storage.
    let stop: @Sendable (Duration) async -> Void
}
