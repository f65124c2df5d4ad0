import Synchronization
import Testing
@testable import Orders

@Suite("Who may act on which order (Caller, in the domain)")
struct OrderOwnershipTests {
    let alice = Caller.customer("alice")
    let bob = Caller.customer("bob")
    let admin = Caller.admin(subject: "ops")

    /// Runs `body` with an order system whose Payments is unreachable (orders stay created).
    func withSystem(_ body: (OrderSystem) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let gateway = ScriptedGateway(reachable: { _ in false })
            try await withOrderSystem(in: directory, gateway: gateway) { system in try await body(system) }
        }
    }

    /// The error `body` throws, or nil.
    func failure(_ body: () async throws -> Void) async -> OrderError? {
        do {
            try await body()
            return nil
        } catch let error as OrderError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aCustomerCreatesOnlyForThemselves() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            #expect(try await system.create(.make(customerID: ""), by: alice).customerID == "alice")
            #expect(try await system.create(.make(customerID: "alice"), by: alice).customerID == "alice")
            let refused = await failure { _ = try await system.create(.make(customerID: "bob"), by: alice) }
            guard case .permissionDenied = refused else { Issue.record("expected PERMISSION_DENIED, got \(String(describing: refused))"); return }
            #expect(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: nil, for: bob).orders.isEmpty)
        }
    }

    @Test func anAdminCreatesForAnyNamedCustomer() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            #expect(try await system.create(.make(customerID: "bob"), by: admin).customerID == "bob")
            let refused = await failure { _ = try await system.create(.make(customerID: ""), by: admin) }
            #expect(refused == .invalidArgument(field: "customer_id", problem: "is required when an admin creates an order"))
        }
    }

    @Test func anotherCustomersOrderIsNotFoundLikeAMissingOne() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            let order = try await system.create(.make(customerID: ""), by: alice)
            #expect(try await system.order(id: order.id, for: alice).id == order.id)
            #expect(try await system.order(id: order.id, for: admin).id == order.id)
            let hidden = await failure { _ = try await system.order(id: order.id, for: bob) }
            #expect(hidden == .notFound(orderID: order.id))
            let missingID = "00000000-0000-0000-0000-000000000000"
            let missing = await failure { _ = try await system.order(id: missingID, for: bob) }
            #expect(hidden?.description.replacingOccurrences(of: order.id, with: missingID) == missing?.description)
            #expect(await failure { _ = try await system.cancel(id: order.id, by: bob) } == .notFound(orderID: order.id))
            #expect(await failure { try await system.watch(id: order.id, for: bob) { _ in } } == .notFound(orderID: order.id))
            // Bob's attempts changed nothing.
            #expect(try await system.order(id: order.id, for: alice).state == .created)
            #expect(try await system.cancel(id: order.id, by: alice).state == .cancelled)
        }
    }

    @Test func anAdminCancelsAndWatchesAnyOrder() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            let order = try await system.create(.make(customerID: ""), by: alice)
            let seen = Mutex<[OrderLifecycle.State]>([])
            let watching = Task { try await system.watch(id: order.id, for: admin) { update in seen.withLock { $0.append(update.state) } } }
            #expect(try await system.cancel(id: order.id, by: admin).state == .cancelled)
            try await watching.value
            #expect(seen.withLock { $0 }.last == .cancelled)
        }
    }

    @Test func listsShowOnlyTheCallersOrdersUnlessAdmin() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            let mine = try await system.create(.make(customerID: ""), by: alice)
            let theirs = try await system.create(.make(customerID: ""), by: bob)
            #expect(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: nil, for: alice).orders.map(\.id) == [mine.id])
            #expect(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: "alice", for: alice).orders.map(\.id) == [mine.id])
            let refused = await failure { _ = try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: "bob", for: alice) }
            guard case .permissionDenied = refused else { Issue.record("expected PERMISSION_DENIED, got \(String(describing: refused))"); return }
            #expect(Set(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: nil, for: admin).orders.map(\.id)) == [mine.id, theirs.id])
            #expect(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: "bob", for: admin).orders.map(\.id) == [theirs.id])
        }
    }

    @Test func idempotencyKeysAreScopedToTheCustomer() async throws {
        try await withSystem { (system: OrderSystem) async throws in
            let first = try await system.create(.make(requestID: "key-1", customerID: ""), by: alice)
            // Alice's retry, and an admin's retry for Alice, find her order.
            #expect(try await system.create(.make(requestID: "key-1", customerID: ""), by: alice).id == first.id)
            #expect(try await system.create(.make(requestID: "key-1", customerID: "alice"), by: admin).id == first.id)
            // Bob's identical request with the same key is his own new order: the key neither
            // reveals Alice's order nor blocks Bob.
            let bobs = try await system.create(.make(requestID: "key-1", customerID: ""), by: bob)
            #expect(bobs.id != first.id && bobs.customerID == "bob")
            #expect(bobs.requestID == "key-1", "the client sees the key it sent, not the scoped one")
            // Within one customer the key still guards against a changed payload.
            #expect(
                await failure { _ = try await system.create(.make(requestID: "key-1", customerID: "", quantity: 9), by: alice) }
                    == .requestIDReused(requestID: "key-1"))
        }
    }
}
