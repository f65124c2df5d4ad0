import ArgumentParser
import Contracts
import Logging
import RPC
import RPCHTTP2
#if canImport(Glibc)
import Glibc
#endif

/// A small client for people without a gRPC tool: each command prints orders as JSON lines
/// (the proto3 JSON mapping) on standard output.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Create, get, cancel, list and watch orders.",
        subcommands: [Create.self, Get.self, Cancel.self, List.self, Watch.self]
    )

    struct Connection: ParsableArguments {
        @Option(help: "Orders' address (ORDERHUB_ORDERS_ADDRESS; default 127.0.0.1:50051).")
        var address: String?

        @Option(help: "Seconds to wait for an answer (default 10; watch waits forever).")
        var timeout: Double?

        @OptionGroup var tls: ClientTLSOptions

        @Option(help: "Customer token, sent as authorization: Bearer (ORDERHUB_TOKEN; `orderhub token` prints one).")
        var token: String?

        /// The call's metadata: the customer token, when there is one.
        var metadata: Metadata {
            var metadata = Metadata()
            if let token = Setting.optionalString(token, env: "ORDERHUB_TOKEN") { metadata.add("authorization", "Bearer " + token) }
            return metadata
        }

        /// Runs `body` with a client, closing the connection after; an RPC error exits 1 with
        /// its status on standard error.
        func withClient(_ body: (OrdersClient, CallOptions) async throws -> Void) async throws {
            let target = try Address(parsing: Setting.string(address, env: "ORDERHUB_ORDERS_ADDRESS", default: "127.0.0.1:50051"), option: "--address")
            let tlsContext = try tls.context(peer: "ORDERS", reloadInterval: nil, logger: Logger(label: "orderhub.cli"))
            let transport = HTTP2ClientTransport(config: .init(host: target.host, port: target.port, tls: tlsContext))
            let options = CallOptions(timeout: .milliseconds(Int64((timeout ?? 10) * 1000)), metadata: metadata)
            do {
                try await body(OrdersClient(transport: transport), options)
                await transport.close()
            } catch let error as RPCError {
                await transport.close()
                Console.error("error: \(error.code.name): \(error.message)\n")
                throw ExitCode(1)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an order.")

        @Option(help: "Customer id (default: the token's customer; an admin must give it).") var customer: String = ""
        @Option(help: "A line item as sku:quantity:unit_price_cents; repeat for more.") var item: [String]
        @Option(help: "ISO-4217 currency code.") var currency: String = "EUR"
        @Option(help: "Payment token: tok_approve, tok_decline, or tok_… for a random decision.") var paymentToken: String = "tok_approve"
        @Option(help: "Idempotency key: repeating a create with it returns the first order.") var requestID: String = ""
        @OptionGroup var connection: Connection

        func run() async throws {
            let items = try item.map(Self.lineItem)
            try await connection.withClient { client, options in
                let order = try await client.createOrder(
                    CreateOrderRequest(customerID: customer, items: items, currency: currency, paymentToken: paymentToken, requestID: requestID),
                    options: options
                )
                OrderJSON.print(order)
            }
        }

        static func lineItem(_ text: String) throws -> LineItem {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let quantity = Int32(parts[1]), let price = Int64(parts[2]) else {
                throw ValidationError("--item must be sku:quantity:unit_price_cents, got \"\(text)\"")
            }
            return LineItem(sku: String(parts[0]), quantity: quantity, unitPriceCents: price)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an order.")
        @Argument(help: "Order id.") var id: String
        @OptionGroup var connection: Connection

        func run() async throws {
            try await connection.withClient { client, options in
                OrderJSON.print(try await client.getOrder(GetOrderRequest(id: id), options: options))
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an order (refunded if it was paid).")
        @Argument(help: "Order id.") var id: String
        @OptionGroup var connection: Connection

        func run() async throws {
            try await connection.withClient { client, options in
                OrderJSON.print(try await client.cancelOrder(CancelOrderRequest(id: id), options: options))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first; prints the next page token last.")
        @Option(help: "created, confirmed, delivered or cancelled.") var state: String?
        @Option(help: "Only this customer's orders (admins; a customer always lists their own).") var customer: String = ""
        @Option(help: "1–100 (default 20).") var pageSize: Int32 = 0
        @Option(help: "From a previous list.") var pageToken: String = ""
        @OptionGroup var connection: Connection

        func run() async throws {
            var filter = OrderState.unspecified
            if let state {
                guard let parsed = OrderState(protoName: "ORDER_STATE_" + state.uppercased()) else {
                    throw ValidationError("--state must be created, confirmed, delivered or cancelled")
                }
                filter = parsed
            }
            try await connection.withClient { client, options in
                let page = try await client.listOrders(
                    ListOrdersRequest(pageSize: pageSize, pageToken: pageToken, state: filter, customerID: customer), options: options
                )
                for order in page.orders { OrderJSON.print(order) }
                if !page.nextPageToken.isEmpty { Console.out("{\"nextPageToken\":\"\(page.nextPageToken)\"}\n") }
            }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an order, then every change until it is final; or, with --all, the order feed.",
            discussion: """
                With --all, prints one line per change to every order the token may see (everyone's for an \
                admin), in commit order, until interrupted: {"cursor":"…","order":{…}}. Pass the last cursor \
                as --after to resume with nothing missed and nothing repeated (events are kept 24 h).
                """
        )
        @Argument(help: "Order id (without --all).") var id: String?
        @Flag(help: "Watch the order feed: every order's changes.") var all = false
        @Option(help: "With --all: resume after this cursor (default: from now).") var after: String = ""
        @Option(help: "With --all: only orders in this state (created, confirmed, delivered, cancelled); repeat for more.")
        var state: [String] = []
        @Option(help: "With --all: only this customer's orders (admins).") var customer: String = ""
        @OptionGroup var connection: Connection

        func validate() throws {
            if all == (id != nil) { throw ValidationError("give an order id, or --all for the order feed") }
            if !all && (!after.isEmpty || !state.isEmpty || !customer.isEmpty) {
                throw ValidationError("--after, --state and --customer go with --all")
            }
        }

        func run() async throws {
            let options = CallOptions(metadata: connection.metadata)
            if let id {
                try await connection.withClient { client, _ in
                    try await client.watchOrder(WatchOrderRequest(id: id), options: options) { response in
                        for try await order in response.messages { OrderJSON.print(order) }
                    }
                }
                return
            }
            let states = try state.map { name in
                guard let parsed = OrderState(protoName: "ORDER_STATE_" + name.uppercased()), parsed != .unspecified else {
                    throw ValidationError("--state must be created, confirmed, delivered or cancelled")
                }
                return parsed
            }
            try await connection.withClient { client, _ in
                try await client.watchOrders(WatchOrdersRequest(afterCursor: after, states: states, customerID: customer), options: options) { response in
                    for try await event in response.messages {
                        Console.out("{\"cursor\":\(OrderJSON.quoted(event.cursor)),\"order\":\(OrderJSON.line(event.order ?? Order()))}\n")
                    }
                }
            }
        }
    }
}
