// orderhub-swift-client: creates an order on a running orderhub and prints each state it
// passes through until it is final, one line each: `<order id> <state>`.
//
//   orderhub-swift-client [--address HOST:PORT] [--token JWT] [--payment-token tok_approve]
//
// --address        Orders (default 127.0.0.1:50051, or ORDERHUB_ORDERS_ADDRESS)
// --token          the customer token (default ORDERHUB_TOKEN; `orderhub token --customer alice`)
// --payment-token  tok_approve (default) ends delivered, tok_decline cancelled
//
// Exits 0 once the order is final, 1 with the status on standard error when a call fails.
import OrderhubClient

#if canImport(Glibc)
import Glibc
#endif

/// The command line's flags and values; exits with the usage on anything else.
func parseArguments() -> [String: String] {
    var settings: [String: String] = ["--address": "", "--token": "", "--payment-token": "tok_approve"]
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard settings[flag] != nil, let value = arguments.next() else {
            print("usage: orderhub-swift-client [--address HOST:PORT] [--token JWT] [--payment-token TOKEN]")
            exit(2)
        }
        settings[flag] = value
    }
    return settings
}

/// The flag's value, else the environment variable's, else `fallback`.
func setting(_ flag: String, in settings: [String: String], env: String, default fallback: String) -> String {
    if let value = settings[flag], !value.isEmpty { return value }
    if let value = getenv(env) { return String(cString: value) }
    return fallback
}

/// Writes a line to standard error.
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

let settings = parseArguments()
let address = setting("--address", in: settings, env: "ORDERHUB_ORDERS_ADDRESS", default: "127.0.0.1:50051")
let token = setting("--token", in: settings, env: "ORDERHUB_TOKEN", default: "")
let orderhub = try OrderhubConnection(orders: address, token: token.isEmpty ? nil : token)

do {
    let order = try await orderhub.orders.createOrder(
        CreateOrderRequest(
            items: [LineItem(sku: "tea", quantity: 2, unitPriceCents: 450)],
            currency: "EUR",
            paymentToken: settings["--payment-token"]!
        ),
        options: CallOptions(timeout: .seconds(10))
    )
    print("\(order.id) \(order.state.protoName)")
    // WatchOrder answers the current state, then every change; the stream ends when the
    // order is final (delivered or cancelled).
    try await orderhub.orders.watchOrder(WatchOrderRequest(id: order.id)) { response in
        for try await change in response.messages {
            print("\(change.id) \(change.state.protoName)")
        }
    }
    await orderhub.close()
} catch let error as RPCError {
    await orderhub.close()
    printError("orderhub-swift-client: \(error.code.name): \(error.message)")
    exit(1)
}
