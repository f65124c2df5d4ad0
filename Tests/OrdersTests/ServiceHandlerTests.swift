import Contracts
import CustomerAuth
import Logging
import Payments
import RPC
import RPCHTTP2
import RPCTestSupport
import ServiceAuth
import StorageSupport
import Testing
@testable import Orders

/// Orders and Payments as a process runs them: each handler on an `RPCServer` on loopback,
/// Orders reaching Payments through `GRPCPaymentGateway` with a service token, the test a
/// client over the same HTTP/2 transport.
struct ServicePair {
    static let secret = "service-secret-for-the-handler-tests"
    static let userSecret = "user-secret-for-the-handler-tests"

    let orders: OrdersClient
    let payments: PaymentsClient
    let paymentsPort: Int
    let store: RecordingOrderStore
    let customerTokens: CustomerTokenSigner

    /// Call options carrying a customer token for `customer`.
    func asCustomer(_ customer: String) async throws -> CallOptions {
        let token = try await customerTokens.token(customer: customer, lifetime: .seconds(600)).token
        var options = CallOptions(timeout: .seconds(20))
        options.metadata.replace("authorization", "Bearer " + token)
        return options
    }

    /// Call options carrying a service token signed with `secret`.
    static func asOrders(secret: String = Self.secret) async throws -> CallOptions {
        let signer = ServiceTokenSigner(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        var options = CallOptions(timeout: .seconds(20))
        options.metadata.replace(ServiceIdentity.metadataKey, try await signer.authorizationValue())
        return options
    }
}

/// Starts both services in `directory`; stops everything when `body` returns or throws.
func withServicePair<T>(in directory: String, _ body: (ServicePair) async throws -> T) async throws -> T {
    let logger = Logger.test
    let paymentStore = try await SQLitePaymentStore.open(path: directory + "/payments.db", logger: logger)
    var paymentsRouter = RPCRouter()
    paymentsRouter.register(
        PaymentsServiceHandler(
            system: PaymentSystem(store: paymentStore, config: .init(approvalRate: 1, seed: 1), logger: logger),
            verifier: ServiceTokenVerifier(secret: ServicePair.secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments),
            logger: logger
        ))
    let paymentsServer = RPCServer(router: paymentsRouter, config: .init(host: "127.0.0.1"))
    let store = RecordingOrderStore(base: try await SQLiteOrderStore.open(path: directory + "/orders.db", logger: logger))
    var ordersServer: RPCServer?
    var system: OrderSystem?
    var transports: [HTTP2ClientTransport] = []
    do {
        try await paymentsServer.start()
        let paymentsPort = try #require(paymentsServer.port)
        let gatewayTransport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: paymentsPort, backoffInitial: .milliseconds(50)))
        transports.append(gatewayTransport)
        let signer = ServiceTokenSigner(secret: ServicePair.secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        let orderSystem = OrderSystem(store: store, gateway: GRPCPaymentGateway(transport: gatewayTransport, signer: signer), config: .fast, logger: logger)
        system = orderSystem
        orderSystem.start()
        let verifier = try await CustomerTokenVerifier(keys: try CustomerTokenKeys(secret: ServicePair.userSecret, jwksJSON: nil))
        var ordersRouter = RPCRouter()
        ordersRouter.register(OrdersServiceHandler(system: orderSystem, authentication: .tokens(verifier), logger: logger))
        let server = RPCServer(router: ordersRouter, config: .init(host: "127.0.0.1"))
        ordersServer = server
        try await server.start()
        let ordersTransport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: try #require(server.port), backoffInitial: .milliseconds(50)))
        let paymentsTransport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: paymentsPort, backoffInitial: .milliseconds(50)))
        transports += [ordersTransport, paymentsTransport]
        let pair = ServicePair(
            orders: OrdersClient(transport: ordersTransport), payments: PaymentsClient(transport: paymentsTransport), paymentsPort: paymentsPort,
            store: store, customerTokens: await CustomerTokenSigner(secret: ServicePair.userSecret)
        )
        let result = try await body(pair)
        await stop(ordersServer, system, paymentsServer, transports, store, paymentStore)
        return result
    } catch {
        await stop(ordersServer, system, paymentsServer, transports, store, paymentStore)
        throw error
    }
}

private func stop(
    _ ordersServer: RPCServer?, _ system: OrderSystem?, _ paymentsServer: RPCServer, _ transports: [HTTP2ClientTransport],
    _ store: RecordingOrderStore, _ paymentStore: SQLitePaymentStore
) async {
    system?.endWatches()
    await ordersServer?.shutdown(gracePeriod: .seconds(1))
    await system?.shutdown()
    await paymentsServer.shutdown(gracePeriod: .seconds(1))
    for transport in transports { await transport.close() }
    try? await store.close()
    try? await paymentStore.close()
}

@Suite("Service handlers over HTTP/2")
struct ServiceHandlerTests {
    static let book = CreateOrderRequest(items: [LineItem(sku: "book", quantity: 2, unitPriceCents: 1250)], currency: "EUR", paymentToken: "tok_approve")

    @Test func anOrderIsChargedThroughPaymentsAndServedToItsCustomerOnly() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let alice = try await pair.asCustomer("alice")
                let created = try await pair.orders.createOrder(Self.book, options: alice)
                #expect(created.state == .created)
                #expect(created.customerID == "alice")
                #expect(created.totalCents == 2500)
                // The dispatcher charged it through GRPCPaymentGateway and Payments' handler.
                var order = created
                try await eventually("confirmed") {
                    order = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: alice)
                    return order.state == .confirmed || order.state == .delivered
                }
                let payment = try await pair.payments.getPayment(GetPaymentRequest(orderID: created.id), options: try await ServicePair.asOrders())
                #expect(payment.id == order.paymentID)
                #expect(payment.status == .approved)
                #expect(payment.amountCents == 2500)
                // Another customer does not see it; no token, no answer.
                let bob = try await pair.asCustomer("bob")
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: bob) } == .notFound)
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: created.id)) } == .unauthenticated)
                let listed = try await pair.orders.listOrders(ListOrdersRequest(), options: alice)
                #expect(listed.orders.map(\.id) == [created.id])
                #expect(try await pair.orders.listOrders(ListOrdersRequest(), options: bob).orders.isEmpty)
            }
        }
    }

    /// GetOrder answers from the store's cache on the event loop when the token is one already
    /// verified; every other case (another customer, a missing order, a bad id, a new token)
    /// still gets its status from the async handler.
    @Test func getOrderFromMemoryAnswersAsTheStoreWould() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let alice = try await pair.asCustomer("alice")
                let created = try await pair.orders.createOrder(Self.book, options: alice)
                let before = pair.store.cachedOrderHits
                let fetched = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: alice)
                #expect(pair.store.cachedOrderHits > before, "answered from memory")
                #expect(fetched.id == created.id && fetched.customerID == "alice" && fetched.totalCents == 2500)
                #expect(fetched.items == created.items)
                let bob = try await pair.asCustomer("bob")
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: bob) } == .notFound)
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: "missing"), options: alice) } == .notFound)
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: "bad\u{1}id"), options: alice) } == .invalidArgument)
                var forged = alice
                forged.metadata.replace("authorization", "Bearer not-a-token")
                #expect(await statusCode { _ = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: forged) } == .unauthenticated)
                #expect(try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: alice).id == created.id)
            }
        }
    }

    /// An order read from memory, changed, and read again: the second answer is the new state,
    /// not the packed bytes of the first.
    @Test func getOrderFromMemoryFollowsChanges() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let alice = try await pair.asCustomer("alice")
                let created = try await pair.orders.createOrder(Self.book, options: alice)
                for _ in 0..<3 { _ = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: alice) }
                let cancelled = try await pair.orders.cancelOrder(CancelOrderRequest(id: created.id), options: alice)
                #expect(cancelled.state == .cancelled)
                // The write took the order out of the store's cache; a read puts it back, unless
                // a write of the payment attempt (which may still be running) raced with it: so
                // read until one answer comes from memory. Every answer is the cancelled order.
                try await eventually("a read answered from memory") {
                    let before = pair.store.cachedOrderHits
                    let fetched = try await pair.orders.getOrder(GetOrderRequest(id: created.id), options: alice)
                    #expect(fetched.state == .cancelled)
                    #expect(fetched.updatedAt == cancelled.updatedAt)
                    return pair.store.cachedOrderHits > before
                }
            }
        }
    }

    @Test func refusalsAreTheirStatuses() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let alice = try await pair.asCustomer("alice")
                var empty = Self.book
                empty.items = []
                #expect(await statusCode { _ = try await pair.orders.createOrder(empty, options: alice) } == .invalidArgument)
                #expect(await statusCode { _ = try await pair.orders.cancelOrder(CancelOrderRequest(id: "missing"), options: alice) } == .notFound)
                var keyed = Self.book
                keyed.requestID = "key-1"
                _ = try await pair.orders.createOrder(keyed, options: alice)
                keyed.currency = "USD"
                #expect(await statusCode { _ = try await pair.orders.createOrder(keyed, options: alice) } == .alreadyExists)
            }
        }
    }

    /// A storage failure inside a handler is mapped once, at the edge: a full disk is
    /// RESOURCE_EXHAUSTED with a message that names no file, and the service goes on serving.
    @Test func aFullDiskIsResourceExhaustedAndTheServiceGoesOn() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let alice = try await pair.asCustomer("alice")
                pair.store.failCreates(with: StorageError.diskFull("database or disk is full: /data/orders.db"))
                do {
                    _ = try await pair.orders.createOrder(Self.book, options: alice)
                    Issue.record("the create succeeded")
                } catch let error as RPCError {
                    #expect(error.code == .resourceExhausted)
                    #expect(error.message == "the database's disk is full; writes fail until space is freed")
                }
                pair.store.failCreates(with: nil)
                #expect(try await pair.orders.createOrder(Self.book, options: alice).state == .created)
            }
        }
    }

    @Test func paymentsRefusesCallersWithoutTheServiceToken() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let charge = ProcessPaymentRequest(orderID: "o-1", amountCents: 599, currency: "EUR", paymentToken: "tok_approve", customerID: "c")
                #expect(await statusCode { _ = try await pair.payments.processPayment(charge) } == .unauthenticated)
                #expect(
                    await statusCode {
                        _ = try await pair.payments.processPayment(
                            charge, options: try await ServicePair.asOrders(secret: "a-wrong-service-secret-of-enough-bytes"))
                    } == .unauthenticated)
                let orders = try await ServicePair.asOrders()
                let first = try await pair.payments.processPayment(charge, options: orders)
                #expect(first.status == .approved)
                // Idempotent per order; a different charge for the same order is refused.
                #expect(try await pair.payments.processPayment(charge, options: orders).id == first.id)
                var other = charge
                other.amountCents = 600
                #expect(await statusCode { _ = try await pair.payments.processPayment(other, options: orders) } == .alreadyExists)
                let refunded = try await pair.payments.refundPayment(RefundPaymentRequest(orderID: "o-1", reason: "test"), options: orders)
                #expect(refunded.status == .refunded)
                #expect(await statusCode { _ = try await pair.payments.getPayment(GetPaymentRequest(orderID: "none"), options: orders) } == .notFound)
            }
        }
    }

    /// The gateway Orders uses, against the real Payments handler: each failure comes back as
    /// the domain error the dispatcher acts on.
    @Test func grpcPaymentGatewayAnswersInDomainTerms() async throws {
        try await withTemporaryDirectory { directory in
            try await withServicePair(in: directory) { pair in
                let transport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: pair.paymentsPort, backoffInitial: .milliseconds(50)))
                let signer = ServiceTokenSigner(secret: ServicePair.secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
                let gateway = GRPCPaymentGateway(transport: transport, signer: signer)
                let wrongSecret = GRPCPaymentGateway(
                    transport: transport,
                    signer: ServiceTokenSigner(
                        secret: "a-wrong-service-secret-of-enough-bytes", issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
                )
                func kind(_ call: () async throws -> PaymentDecision) async -> PaymentGatewayError.Kind? {
                    do {
                        _ = try await call()
                        return nil
                    } catch {
                        return (error as? PaymentGatewayError)?.kind
                    }
                }
                let charge = ChargeRequest(orderID: "o-2", amountCents: 599, currency: "EUR", paymentToken: "tok_approve", customerID: "c")
                let approved = try await gateway.processPayment(charge, timeout: .seconds(10))
                #expect(approved.status == .approved)
                var declined = charge
                declined.orderID = "o-3"
                declined.paymentToken = "tok_decline"
                #expect(try await gateway.processPayment(declined, timeout: .seconds(10)).status == .declined)
                var malformed = charge
                malformed.orderID = "o-4"
                malformed.paymentToken = "not a token"
                #expect(await kind { try await gateway.processPayment(malformed, timeout: .seconds(10)) } == .refused)
                #expect(await kind { try await wrongSecret.processPayment(charge, timeout: .seconds(10)) } == .callerRejected)
                let nothing = RefundRequest(orderID: "never-charged", paymentID: nil, reason: "test")
                #expect(await kind { try await gateway.refundPayment(nothing, timeout: .seconds(10)) } == .nothingToRefund)
                let refund = RefundRequest(orderID: "o-3", paymentID: nil, reason: "test")
                #expect(await kind { try await gateway.refundPayment(refund, timeout: .seconds(10)) } == .nothingToRefund)
                #expect(
                    try await gateway.refundPayment(RefundRequest(orderID: "o-2", paymentID: approved.paymentID, reason: "test"), timeout: .seconds(10)).status
                        == .refunded)
                await transport.close()
            }
        }
    }

    @Test func grpcPaymentGatewayFindsPaymentsUnreachable() async throws {
        let server = RPCServer(router: RPCRouter(), config: .init(host: "127.0.0.1"))
        try await server.start()
        let port = try #require(server.port)
        await server.shutdown(gracePeriod: .zero)
        let transport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: port, backoffInitial: .milliseconds(50)))
        let gateway = GRPCPaymentGateway(
            transport: transport, signer: ServiceTokenSigner(secret: ServicePair.secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        )
        let charge = ChargeRequest(orderID: "o-5", amountCents: 599, currency: "EUR", paymentToken: "tok_approve", customerID: "c")
        do {
            _ = try await gateway.processPayment(charge, timeout: .seconds(10))
            Issue.record("a call to a closed port succeeded")
        } catch let error as PaymentGatewayError {
            #expect(error.kind == .unreachable)
        }
        await transport.close()
    }
}
