import StoreTestSupport
import Testing
@testable import Orders

/// A batch mixing creates, first and second writes of one order numbers every feed entry
/// once, with each order's versions in order.
extension OrderStoreContractTests {
    @Test(arguments: StoreBackend.tested)
    func feedOfBatchesMixingCreatesAndTransitionsHasEveryChangeOnceInOrder(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let existing = try (0..<12).map { _ in try NewOrder.make() }
                for order in existing { _ = try await store.create(order) }
                let start = try await store.feedPage(OrderFeedQuery(after: .max, limit: 0)).lastSeq
                let fresh = try (0..<12).map { _ in try NewOrder.make() }
                // Submitted together, so they meet in the writer's batches: creates, first and
                // second writes of one order (the second runs after the first, or conflicts).
                let applied = try await withThrowingTaskGroup(of: (String, Int64)?.self) { group in
                    for order in fresh {
                        group.addTask {
                            _ = try await store.create(order); return (order.id, 1)
                        }
                    }
                    for order in existing {
                        group.addTask { try await store.write(.confirm(order.id, now: 2_000)) == .conflict ? nil : (order.id, 2) }
                    }
                    for order in existing.prefix(6) {
                        group.addTask {
                            let cancel = OrderWrite(
                                orderID: order.id, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested), now: 2_100)
                            return try await store.write(cancel) == .conflict ? nil : (order.id, 3)
                        }
                    }
                    var applied: [(String, Int64)] = []
                    for try await entry in group { if let entry { applied.append(entry) } }
                    return applied
                }
                let page = try await store.feedPage(OrderFeedQuery(after: start, limit: 1_000))
                let seen = page.events.map { "\($0.order.id)@\($0.order.version)" }
                #expect(seen.sorted() == applied.map { "\($0.0)@\($0.1)" }.sorted())
                #expect(page.events.map(\.seq) == Array((start + 1)...(start + Int64(applied.count))))
                #expect(page.lastSeq == start + Int64(applied.count))
                for order in existing + fresh {
                    let versions = page.events.filter { $0.order.id == order.id }.map(\.order.version)
                    #expect(versions == versions.sorted())
                }
                for event in page.events where event.order.version == 3 {
                    #expect(event.order.state == .cancelled)
                    #expect(event.order.cancelReason == .userRequested)
                    #expect(event.order.customerID == "cust-1")
                }
                #expect(page.events.filter { $0.order.version == 2 }.allSatisfy { $0.order.state == .confirmed && $0.order.paymentID != nil })
            }
        }
    }
}
