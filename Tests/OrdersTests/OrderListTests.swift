import Testing
@testable import Orders

@Suite("ListOrders")
struct OrderListTests {
    @Test func pagesAreNewestFirstAndStableUnderConcurrentInserts() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                var keys: [(Int64, String)] = []
                // Several orders share a millisecond: the id breaks the tie.
                for index in 0..<45 {
                    let order = try SQLiteOrderStoreTests.newOrder(now: 1_000 + Int64(index / 3))
                    keys.append((order.createdAt, order.id))
                    _ = try await store.create(order)
                }
                let newestFirst = keys.sorted { $0 > $1 }.map(\.1)
                var seen: [String] = []
                var cursor: OrderCursor?
                var page = 0
                repeat {
                    let result = try await store.list(OrderListQuery(pageSize: 10, after: cursor))
                    seen += result.orders.map(\.id)
                    cursor = result.next
                    // Newer orders arriving between pages must not shift what follows.
                    _ = try await store.create(try SQLiteOrderStoreTests.newOrder(now: 9_000 + Int64(page)))
                    page += 1
                } while cursor != nil
                #expect(seen == newestFirst)
                #expect(page == 5)
            }
        }
    }

    @Test func filtersByStateAndCustomer() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { store in
                var cancelled: [String] = []
                for index in 0..<10 {
                    let order = try SQLiteOrderStoreTests.newOrder(.make(customerID: index < 4 ? "alice" : "bob"), now: 1_000 + Int64(index))
                    _ = try await store.create(order)
                    if index % 2 == 0 {
                        _ = try await store.write(
                            OrderWrite(orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested), now: 2_000))
                        cancelled.append(order.id)
                    }
                }
                let all = try await store.list(OrderListQuery(pageSize: 100, state: .cancelled))
                #expect(all.orders.map(\.id) == cancelled.reversed())
                #expect(all.next == nil)
                let alice = try await store.list(OrderListQuery(pageSize: 100, customerID: "alice"))
                #expect(alice.orders.count == 4)
                let aliceCancelled = try await store.list(OrderListQuery(pageSize: 100, state: .cancelled, customerID: "alice"))
                #expect(aliceCancelled.orders.map(\.id) == Array(cancelled.prefix(2).reversed()))
                #expect(aliceCancelled.orders.allSatisfy { $0.items.count == 2 })
            }
        }
    }

    @Test func pageSizeRules() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway(reachable: { _ in false })) { system in
                for _ in 0..<25 { _ = try await system.create(.make(token: "tok_x")) }
                #expect(try await system.list(pageSize: 0, pageToken: "", state: nil, customerID: nil).orders.count == 20)
                #expect(try await system.list(pageSize: 7, pageToken: "", state: nil, customerID: nil).orders.count == 7)
                #expect(try await system.list(pageSize: 1000, pageToken: "", state: nil, customerID: nil).orders.count == 25)
                await #expect(throws: OrderError.self) { try await system.list(pageSize: -1, pageToken: "", state: nil, customerID: nil) }
                await #expect(throws: OrderError.self) { try await system.list(pageSize: 5, pageToken: "garbage", state: nil, customerID: nil) }
                let first = try await system.list(pageSize: 20, pageToken: "", state: nil, customerID: nil)
                let second = try await system.list(pageSize: 20, pageToken: first.nextPageToken, state: nil, customerID: nil)
                #expect(second.orders.count == 5)
                #expect(second.nextPageToken == "")
            }
        }
    }
}
