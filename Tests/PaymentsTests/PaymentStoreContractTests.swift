import StoreTestSupport
import Testing
@testable import Payments

/// The Payments store contract, one set of cases run on SQLite and on PostgreSQL. "Another
/// replica" is a second store instance on PostgreSQL and the same store on SQLite.
@Suite("Payment store contract")
struct PaymentStoreContractTests {
    @Test(arguments: StoreBackend.tested)
    func insertedPaymentReadsBackAfterReopen(backend: StoreBackend) async throws {
        try await withPaymentDatabase(backend) { database in
            let payment = PaymentRecord.make()
            let inserted = try await database.withStore { try await $0.insertIfAbsent(payment) }
            #expect(inserted.payment == payment)
            #expect(inserted.isNew)
            try await database.withStore { (store) async throws in
                #expect(try await store.payment(id: payment.id) == payment)
                #expect(try await store.payment(orderID: payment.orderID) == payment)
                #expect(try await store.payment(id: "no-such-payment") == nil)
                #expect(try await store.payment(orderID: "no-such-order") == nil)
            }
        }
    }

    /// Replicas charging the same order at once: one payment is stored, and every caller
    /// gets that one back.
    @Test(arguments: StoreBackend.tested)
    func oneOrderIsChargedOnceAcrossReplicas(backend: StoreBackend) async throws {
        try await withPaymentDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let orderIDs = (0..<20).map { "order-\($0)" }
                let results = try await withThrowingTaskGroup(of: (PaymentRecord, Bool).self) { group in
                    for orderID in orderIDs {
                        for attempt in 0..<4 {
                            let payment = PaymentRecord.make(orderID: orderID, status: attempt % 2 == 0 ? .approved : .declined)
                            group.addTask { try await stores[attempt % 2].insertIfAbsent(payment) }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for orderID in orderIDs {
                    let mine = results.filter { $0.0.orderID == orderID }
                    #expect(mine.count == 4)
                    #expect(mine.filter(\.1).count == 1)
                    #expect(Set(mine.map(\.0)).count == 1)
                    #expect(try await stores[1].payment(orderID: orderID) == mine.first?.0)
                }
            }
        }
    }

    /// Lookups by order id at once (SQLite answers those that meet with one query, up to 500 a
    /// query): each gets its own order's payment or nil, and a lookup after an insert returns
    /// sees it.
    @Test(arguments: StoreBackend.tested)
    func concurrentLookupsByOrderEachGetTheirOwnPayment(backend: StoreBackend) async throws {
        try await withPaymentDatabase(backend) { database in
            try await database.withStore { store in
                let stored = (0..<300).map { PaymentRecord.make(orderID: "order-\($0)", status: $0 % 3 == 0 ? .declined : .approved) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for payment in stored { group.addTask { _ = try await store.insertIfAbsent(payment) } }
                    try await group.waitForAll()
                }
                let found = try await withThrowingTaskGroup(of: (String, PaymentRecord?).self) { group in
                    for index in 0..<700 {
                        let orderID = "order-\(index % 350)"
                        group.addTask { (orderID, try await store.payment(orderID: orderID)) }
                    }
                    // Inserted and read back by the same task, among the other lookups.
                    for index in 0..<40 {
                        let payment = PaymentRecord.make(orderID: "late-\(index)")
                        group.addTask {
                            _ = try await store.insertIfAbsent(payment)
                            return (payment.orderID, try await store.payment(orderID: payment.orderID))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let byOrder = Dictionary(uniqueKeysWithValues: stored.map { ($0.orderID, $0) })
                #expect(found.count == 740)
                for (orderID, payment) in found {
                    if orderID.hasPrefix("late-") {
                        #expect(payment?.orderID == orderID)
                    } else {
                        #expect(payment == byOrder[orderID])
                    }
                }
                #expect(found.filter { $0.1 == nil }.count == 100)
            }
        }
    }

    /// Refund is one conditional write: approved → refunded once; then, and for a declined
    /// payment, the stored payment comes back unchanged; an unknown one is nil.
    @Test(arguments: StoreBackend.tested)
    func refundWinsOnceThenReturnsThePaymentUnchanged(backend: StoreBackend) async throws {
        try await withPaymentDatabase(backend) { database in
            try await database.withStore { store in
                let approved = PaymentRecord.make()
                let declined = PaymentRecord.make(status: .declined)
                _ = try await store.insertIfAbsent(approved)
                _ = try await store.insertIfAbsent(declined)
                let (refunded, refundedNow) = try #require(try await store.refund(.id(approved.id), reason: "USER_REQUESTED", now: 2_000))
                #expect(refundedNow)
                var expected = approved
                expected.status = .refunded
                expected.refundReason = "USER_REQUESTED"
                expected.refundedAt = 2_000
                expected.updatedAt = 2_000
                #expect(refunded == expected)
                let again = try #require(try await store.refund(.orderID(approved.orderID), reason: "again", now: 3_000))
                #expect(again.payment == expected && !again.refundedNow)
                let notApproved = try #require(try await store.refund(.orderID(declined.orderID), reason: "r", now: 3_000))
                #expect(notApproved.payment == declined && !notApproved.refundedNow)
                #expect(try await store.refund(.id("no-such-payment"), reason: "r", now: 3_000) == nil)
                #expect(try await store.payment(id: approved.id) == expected)
            }
        }
    }

    /// Refunds of the same payments racing from two replicas: each payment is refunded by
    /// exactly one of them (one `refunded_at`), and everybody sees that refund.
    @Test(arguments: StoreBackend.tested)
    func racingRefundsRefundOnce(backend: StoreBackend) async throws {
        try await withPaymentDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let payments = (0..<20).map { _ in PaymentRecord.make() }
                for payment in payments { _ = try await stores[0].insertIfAbsent(payment) }
                let outcomes = try await withThrowingTaskGroup(of: (payment: PaymentRecord, refundedNow: Bool)?.self) { group in
                    for payment in payments {
                        for replica in 0..<2 {
                            group.addTask { try await stores[replica].refund(.id(payment.id), reason: "replica \(replica)", now: 2_000 + Int64(replica)) }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let results = outcomes.compactMap { $0 }
                for payment in payments {
                    let mine = results.filter { $0.payment.id == payment.id }.map(\.payment)
                    #expect(results.filter { $0.payment.id == payment.id && $0.refundedNow }.count == 1, "one caller refunded it")
                    #expect(mine.count == 2)
                    #expect(Set(mine).count == 1, "both callers see the one refund")
                    #expect(mine.first?.status == .refunded)
                }
            }
        }
    }
}
