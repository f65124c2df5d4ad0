import StoreTestSupport
import Synchronization
import Testing
@testable import Orders

extension OrderStoreContractTests {
    /// Creation and every transition append a feed entry with the order as it was right after
    /// it, in commit order; filters and bounds apply.
    @Test(arguments: StoreBackend.tested)
    func feedRecordsEveryChangeInCommitOrder(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let start = try await store.feedPage(OrderFeedQuery(after: .max, limit: 0))
                #expect(start.events.isEmpty)
                let first = try NewOrder.make(.make(customerID: "alice"))
                let second = try NewOrder.make(.make(customerID: "bob"))
                _ = try await store.create(first)
                _ = try await store.create(second)
                _ = try await store.write(.confirm(first.id, now: 2_000))
                _ = try await store.write(
                    OrderWrite(orderID: second.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested), now: 2_500))
                let page = try await store.feedPage(OrderFeedQuery(after: start.lastSeq, limit: 100))
                #expect(page.events.map(\.order.id) == [first.id, second.id, first.id, second.id])
                #expect(page.events.map(\.order.state) == [.created, .created, .confirmed, .cancelled])
                #expect(page.events.map(\.order.version) == [1, 1, 2, 2])
                #expect(page.events.map(\.seq) == page.events.map(\.seq).sorted())
                #expect(Set(page.events.map(\.seq)).count == 4)
                #expect(page.lastSeq == page.events.last?.seq)
                #expect(
                    page.events[2].order
                        == first.record.applying(
                            OrderChange(
                                orderID: first.id, state: .confirmed, cancelReason: nil, paymentID: "pay-\(first.id)", deliverAt: 7_000, updatedAt: 2_000,
                                version: 2
                            )))
                #expect(page.events[3].order.cancelReason == .userRequested)
                #expect(page.events[0].order.items == first.draft.items)

                let alice = try await store.feedPage(OrderFeedQuery(after: start.lastSeq, filter: .init(customerID: "alice"), limit: 100))
                #expect(alice.events.map(\.order.state) == [.created, .confirmed])
                let cancelled = try await store.feedPage(OrderFeedQuery(after: start.lastSeq, filter: .init(states: [.cancelled, .confirmed]), limit: 100))
                #expect(cancelled.events.map(\.order.state) == [.confirmed, .cancelled])
                let bounded = try await store.feedPage(OrderFeedQuery(after: page.events[0].seq, through: page.events[2].seq, limit: 1))
                #expect(bounded.events.map(\.seq) == [page.events[1].seq])
            }
        }
    }

    /// Pruning removes a prefix of the feed and records where it ended, so a reader can tell
    /// a position whose following events are gone.
    @Test(arguments: StoreBackend.tested)
    func feedPruneRecordsHowFarItWent(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let old = try NewOrder.make(now: 1_000)
                let new = try NewOrder.make(now: 50_000)
                _ = try await store.create(old)
                _ = try await store.create(new)
                let all = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(all.prunedThrough == 0)
                #expect(try await store.purgeOrderEvents(before: 10_000) >= 1)
                let after = try await store.feedPage(OrderFeedQuery(after: 0, limit: 100))
                #expect(after.prunedThrough == all.events[0].seq)
                #expect(after.events.map(\.order.id) == [new.id])
                #expect(after.lastSeq == all.lastSeq)
            }
        }
    }

    /// Writers on several replicas commit concurrently while a reader pages with
    /// `seq > position`, as a feed consumer does: every entry that ever commits is read, none
    /// twice. A sequence numbered in call order instead of commit order fails this (an entry
    /// committing late below a position already passed).
    @Test(arguments: StoreBackend.tested)
    func feedReaderNeverSkipsALateCommit(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(3) { stores in
                let start = try await stores[0].feedPage(OrderFeedQuery(after: .max, limit: 0)).lastSeq
                let done = Atomic<Bool>(false)
                let reader = Task {
                    var position = start
                    var seen: [Int64] = []
                    while true {
                        let finished = done.load(ordering: .acquiring)
                        let page = try await stores[2].feedPage(OrderFeedQuery(after: position, limit: 50))
                        seen += page.events.map(\.seq)
                        position = page.events.last?.seq ?? position
                        if finished && page.events.isEmpty { return seen }
                    }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<2 {
                        group.addTask {
                            for _ in 0..<60 {
                                let order = try NewOrder.make()
                                _ = try await stores[writer].create(order)
                                _ = try await stores[writer].write(.confirm(order.id, now: 2_000))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                done.store(true, ordering: .releasing)
                let seen = try await reader.value
                let all = try await stores[0].feedPage(OrderFeedQuery(after: start, limit: 1_000)).events.map(\.seq)
                #expect(all.count == 240)
                #expect(seen == all)
            }
        }
    }
}
