@testable import Orders
import Testing

@Suite("the SQLite store's order cache")
struct OrderRecordCacheTests {
    private func record(_ id: String, state: OrderLifecycle.State = .created, version: Int64 = 1) -> OrderRecord {
        OrderRecord(
            id: id, state: state, customerID: "c", items: [], totalCents: 0, currency: "EUR",
            createdAt: 1, updatedAt: 1, version: version)
    }

    private func confirmed(_ id: String, version: Int64 = 2) -> OrderChange {
        OrderChange(orderID: id, state: .confirmed, cancelReason: nil, paymentID: "pay-\(id)", deliverAt: 9, updatedAt: 5, version: version)
    }

    @Test func aCacheOfNoOrdersKeepsNothing() {
        let cache = OrderRecordCache(capacity: 0)
        cache.created([record("a")])
        cache.fill(record("b"), token: cache.readToken())
        cache.committed([confirmed("a")])
        #expect(cache.lookup("a") == nil)
        #expect(cache.lookup("b") == nil)
        // Any other capacity keeps at least the order just written.
        let small = OrderRecordCache(capacity: 1)
        small.created([record("a")])
        #expect(small.lookup("a") == record("a"))
    }

    @Test func aReadFillsTheCacheWhenNoWriteRanMeanwhile() {
        let cache = OrderRecordCache()
        let token = cache.readToken()
        cache.fill(record("a"), token: token)
        #expect(cache.lookup("a") == record("a"))
    }

    @Test func aReadThatOverlappedAWriteIsNotKept() {
        let cache = OrderRecordCache()
        let token = cache.readToken()
        // A transition of "a" starts and commits while the read's query runs.
        cache.invalidate(["a"])
        cache.committed([confirmed("a")])
        cache.fill(record("a"), token: token)  // the read saw the old state
        #expect(cache.lookup("a") == nil)
    }

    @Test func aTransactionThatChangesNoOrderLetsAReadFill() {
        let cache = OrderRecordCache()
        let token = cache.readToken()
        // Job claims and deletions commit while the read's query runs: no order changed.
        cache.invalidate([String]())
        cache.fill(record("a"), token: token)
        #expect(cache.lookup("a") == record("a"))
        // A transition of any order still refuses a read that overlapped it.
        let second = cache.readToken()
        cache.invalidate(["b"])
        cache.fill(record("c"), token: second)
        #expect(cache.lookup("c") == nil)
    }

    @Test func aStaleFillBeforeTheCommitIsCorrectedByTheCommit() {
        let cache = OrderRecordCache()
        cache.invalidate(["a"])
        // The read starts after the invalidation, sees the old row and fills before the commit.
        cache.fill(record("a"), token: cache.readToken())
        cache.committed([confirmed("a")])
        let cached = cache.lookup("a")
        #expect(cached?.state == .confirmed && cached?.version == 2 && cached?.paymentID == "pay-a" && cached?.deliverAt == 9)
    }

    @Test func aWriteForgetsTheOrderUntilItCommits() {
        let cache = OrderRecordCache()
        cache.created([record("a")])
        cache.invalidate(["a"])
        // The transaction failed: nothing committed, the next read goes to the database.
        #expect(cache.lookup("a") == nil)
    }

    @Test func changesApplyInOrderAndNeverGoBack() {
        let cache = OrderRecordCache()
        cache.created([record("a")])
        cache.committed([
            confirmed("a"),
            OrderChange(
                orderID: "a", state: .delivered, cancelReason: nil, paymentID: "pay-a",
                deliverAt: 9, updatedAt: 6, version: 3),
        ])
        cache.committed([confirmed("a")])  // an older version again: ignored
        #expect(cache.lookup("a")?.state == .delivered)
        #expect(cache.lookup("a")?.version == 3)
    }

    @Test func twoGenerationsBoundTheEntries() {
        let cache = OrderRecordCache(generationSize: 4)
        cache.created((0..<10).map { record("o\($0)") })
        let held = (0..<10).filter { cache.lookup("o\($0)") != nil }
        #expect(held.count <= 8)
        #expect(held.contains(9))
    }
}
