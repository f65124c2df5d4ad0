import ArgumentParser
import Foundation
import Gateway

/// Options of the REST gateway.
struct GatewayOptions: ParsableArguments {
    @Option(help: "Deadline of each call to Orders, in seconds (ORDERHUB_GATEWAY_RPC_TIMEOUT; default 5).")
    var rpcTimeout: Double?

    @Option(help: "Origins allowed by CORS, comma-separated, * for any (ORDERHUB_CORS_ORIGINS; default *).")
    var corsOrigins: String?

    func config() throws -> OrdersGateway.Config {
        var config = OrdersGateway.Config.defaults
        config.rpcTimeout = try Setting.seconds(rpcTimeout, env: "ORDERHUB_GATEWAY_RPC_TIMEOUT", name: "rpc-timeout", default: 5)
        config.allowedOrigins = Setting.string(corsOrigins, env: "ORDERHUB_CORS_ORIGINS", default: "*")
            .split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return config
    }

    /// `host:port`, or `:port` for every interface.
    static func address(_ text: String, option: String) throws -> Address {
        try Address(parsing: text.hasPrefix(":") ? "0.0.0.0" + text : text, option: option)
    }
}
