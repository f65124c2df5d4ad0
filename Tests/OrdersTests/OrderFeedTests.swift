import RPC
import Synchronization
import Testing
@testable import Orders

@Suite("Order feed (WatchOrders in the domain, on SQLite)")
struct OrderFeedTests {
    struct Disconnect: Error {}
    struct Enough: Error {}

    /// Every event after `cursor` (a token, or from `seq`) in the store now.
    func truth(_ system: OrderSystem, after seq: Int64) async throws -> [OrderFeedEvent] {
        try await system.store.feedPage(OrderFeedQuery(after: seq, limit: 10_000)).events
    }

    func lastSeq(_ system: OrderSystem) async throws -> Int64 {
        try await system.store.feedPage(OrderFeedQuery(after: .max, limit: 0)).lastSeq
    }

    /// Watches from `cursor` until `stop` says so (Enough) or an error; returns what it got.
    func collect(
        _ system: OrderSystem, after cursor: String = "", states: Set<OrderLifecycle.State> = [], customerID: String? = nil,
        as caller: Caller = OrderSystem.testAdmin, until stop: @escaping @Sendable ([OrderFeedEvent]) -> Bool
    ) async throws -> [OrderFeedEvent] {
        let got = Mutex<[OrderFeedEvent]>([])
        do {
            try await system.watchFeed(afterCursor: cursor, states: states, customerID: customerID, for: caller) { event in
                let all = got.withLock {
                    $0.append(event); return $0
                }
                if stop(all) { throw Enough() }
            }
        } catch is Enough {}
        return got.withLock { $0 }
    }

    /// A consumer dropped at random points and resuming from its last cursor sees every event
    /// exactly once, in order, across many runs, while orders are created and move on.
    @Test func resumingAtRandomPointsSeesEveryEventOnceInOrder() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway()) { system in
                var generator = SystemRandomNumberGenerator()
                for run in 0..<8 {
                    let start = try await lastSeq(system)
                    let orders = 12
                    let creator = Task {
                        for index in 0..<orders {
                            _ = try await system.create(.make(token: index % 4 == 0 ? "tok_decline" : "tok_approve"))
                            try await Task.sleep(for: .milliseconds(Int.random(in: 0...15)))
                        }
                    }
                    // Declined: created, cancelled; approved: created, confirmed, delivered.
                    let expected = 3 * (orders - orders / 4) + 2 * (orders / 4)
                    var cursor = FeedCursor(seq: start).token
                    var seen: [OrderFeedEvent] = []
                    var drops = 0
                    while seen.count < expected {
                        // Never waits past the last event: drops at the latest when everything came.
                        let dropAfter = min(Int.random(in: 1...6, using: &generator), expected - seen.count)
                        let batch = Mutex<[OrderFeedEvent]>([])
                        do {
                            try await system.watchFeed(afterCursor: cursor, states: [], customerID: nil, for: OrderSystem.testAdmin) { event in
                                let count = batch.withLock {
                                    $0.append(event); return $0.count
                                }
                                if count >= dropAfter { throw Disconnect() }
                            }
                        } catch is Disconnect {
                            drops += 1
                        }
                        let got = batch.withLock { $0 }
                        seen += got
                        if let last = got.last { cursor = last.cursor.token }
                    }
                    try await creator.value
                    let all = try await truth(system, after: start)
                    #expect(seen.map(\.seq) == all.map(\.seq), "run \(run)")
                    #expect(seen == all, "run \(run)")
                    #expect(drops > 1)
                }
            }
        }
    }

    @Test func garbageCursorIsInvalidArgumentAndTooOldIsOutOfRange() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway(reachable: { _ in false })) { system in
                for garbage in ["x", "AAAAAAAAAAAA", "not a cursor at all", FeedCursor(seq: 5).token + "A", FeedCursor(seq: 99).token] {
                    await #expect(throws: OrderError.invalidArgument(field: "after_cursor", problem: "is not a cursor from this order feed")) {
                        try await system.watchFeed(afterCursor: garbage, states: [], customerID: nil, for: OrderSystem.testAdmin) { _ in }
                    }
                }
                let start = try await lastSeq(system)
                for _ in 0..<3 { _ = try await system.create(.make()) }
                _ = try await system.store.purgeOrderEvents(before: Int64.max)
                await #expect(throws: OrderError.self) {
                    try await system.watchFeed(afterCursor: FeedCursor(seq: start).token, states: [], customerID: nil, for: OrderSystem.testAdmin) { _ in }
                }
                do {
                    try await system.watchFeed(afterCursor: FeedCursor(seq: start).token, states: [], customerID: nil, for: OrderSystem.testAdmin) { _ in }
                } catch let error as OrderError {
                    guard case .outOfRange = error else { Issue.record("got \(error)"); return }
                    #expect(RPCError.orders(error).code == .outOfRange)
                }
                // The newest cursor is still good: nothing after it was pruned. Read before the
                // create below, so the resume point cannot already include that order.
                let newest = FeedCursor(seq: try await lastSeq(system)).token
                let resumed = Task {
                    try await collect(system, after: newest) { $0.count == 1 }
                }
                let order = try await system.create(.make())
                #expect(try await resumed.value.map(\.order.id) == [order.id])
            }
        }
    }

    /// A consumer that stops reading is cut with RESOURCE_EXHAUSTED once its buffer is full;
    /// resuming from its last cursor gives everything after it.
    @Test func slowConsumerIsCutAndResumesWithoutLoss() async throws {
        try await withTemporaryDirectory { directory in
            var config = OrderSystem.Config.fast
            config.feed = OrderFeed.Config(bufferSize: 4, pageSize: 3, pollInterval: .milliseconds(50))
            try await withOrderSystem(in: directory, gateway: ScriptedGateway(reachable: { _ in false }), config: config) { system in
                let start = try await lastSeq(system)
                let release = Mutex(false)
                let first = Mutex<[OrderFeedEvent]>([])
                let stuck = Task {
                    try await system.watchFeed(afterCursor: "", states: [], customerID: nil, for: OrderSystem.testAdmin) { event in
                        first.withLock { $0.append(event) }
                        // Stalls on the first event, as a consumer that stopped reading.
                        while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
                try await eventually("subscribed") { system.feed.subscriberCount == 1 }
                for _ in 0..<12 { _ = try await system.create(.make()) }
                try await eventually("cut") { system.feed.subscriberCount == 0 }
                release.withLock { $0 = true }
                do {
                    try await stuck.value
                    Issue.record("the stalled consumer was not cut")
                } catch let error as OrderError {
                    #expect(RPCError.orders(error).code == .resourceExhausted)
                }
                let delivered = first.withLock { $0 }
                #expect(delivered.count >= 1)
                let rest = try await collect(system, after: delivered.last!.cursor.token) { $0.count == 12 - delivered.count }
                #expect((delivered + rest).map(\.seq) == (try await truth(system, after: start)).map(\.seq))
            }
        }
    }

    /// A customer sees only their own orders and may not ask for another's; an admin sees
    /// everyone's or one customer's; the state filter applies.
    @Test func feedFollowsOwnershipAndFilters() async throws {
        try await withTemporaryDirectory { directory in
            try await withOrderSystem(in: directory, gateway: ScriptedGateway(reachable: { _ in false })) { system in
                let start = FeedCursor(seq: try await lastSeq(system)).token
                let alice = try await system.create(.make(customerID: "alice"))
                let bob = try await system.create(.make(customerID: "bob"))
                _ = try await system.cancel(id: bob.id)
                let last = try await system.create(.make(customerID: "carol"))
                let untilCarol: @Sendable ([OrderFeedEvent]) -> Bool = { $0.last?.order.id == last.id }
                let all = try await collect(system, after: start, until: untilCarol)
                #expect(all.map(\.order.id) == [alice.id, bob.id, bob.id, last.id])
                let asAlice = Task { try await collect(system, after: start, as: .customer("alice")) { $0.count == 1 } }
                #expect(try await asAlice.value.map(\.order.id) == [alice.id])
                await #expect(throws: OrderError.self) {
                    try await system.watchFeed(afterCursor: start, states: [], customerID: "bob", for: .customer("alice")) { _ in }
                }
                let bobsOnly = try await collect(system, after: start, customerID: "bob") { $0.count == 2 }
                #expect(bobsOnly.map(\.order.state) == [.created, .cancelled])
                let cancelled = try await collect(system, after: start, states: [.cancelled]) { $0.count == 1 }
                #expect(cancelled.map(\.order.id) == [bob.id])
            }
        }
    }
}
