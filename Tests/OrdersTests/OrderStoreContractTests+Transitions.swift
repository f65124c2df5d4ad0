import StoreTestSupport
import Testing
@testable import Orders

/// One conditional transition of the lifecycle, as a store case: how to reach its `from`
/// state, and the write that takes the order on.
struct TransitionCase: Sendable, CustomStringConvertible {
    var description: String
    /// Writes that bring a new order to `write.transition.from`.
    var setup: @Sendable (String) -> [OrderWrite]
    var write: @Sendable (String) -> OrderWrite
    /// Jobs of the order once the write applied.
    var jobsAfter: [PaymentJob.Kind]

    static let all: [TransitionCase] = [
        TransitionCase(
            description: "created → confirmed (payment approved)", setup: { _ in [] },
            write: { .confirm($0, now: 2_000) }, jobsAfter: []),
        TransitionCase(
            description: "created → cancelled (payment declined)", setup: { _ in [] },
            write: {
                OrderWrite(orderID: $0, transition: .init(from: .created, to: .cancelled, cancelReason: .paymentDeclined), completesJob: .charge, now: 2_000)
            }, jobsAfter: []),
        TransitionCase(
            description: "created → cancelled (payment timeout, job kept to reconcile)", setup: { _ in [] },
            write: {
                OrderWrite(orderID: $0, transition: .init(from: .created, to: .cancelled, cancelReason: .paymentTimeout), now: 2_000)
            }, jobsAfter: [.charge]),
        TransitionCase(
            description: "created → cancelled (customer)", setup: { _ in [] },
            write: {
                OrderWrite(orderID: $0, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested), now: 2_000)
            }, jobsAfter: [.charge]),
        TransitionCase(
            description: "confirmed → cancelled (customer, refunded)", setup: { [.confirm($0, now: 1_500)] },
            write: {
                OrderWrite(
                    orderID: $0, transition: .init(from: .confirmed, to: .cancelled, cancelReason: .userRequested),
                    addsRefund: .init(paymentID: "pay-\($0)", reason: "USER_REQUESTED", firstAttemptLease: 2_500), now: 2_000)
            }, jobsAfter: [.refund]),
        TransitionCase(
            description: "confirmed → delivered", setup: { [.confirm($0, now: 1_500)] },
            write: {
                OrderWrite(orderID: $0, transition: .init(from: .confirmed, to: .delivered), now: 2_000)
            }, jobsAfter: []),
    ]
}

extension OrderStoreContractTests {
    /// The transition applies once (version + 1, the new fields, its job effects); the same
    /// write again loses, and a write expecting another state loses without writing anything.
    @Test(arguments: StoreBackend.tested, TransitionCase.all)
    func transitionWinsOnceThenLoses(backend: StoreBackend, transition: TransitionCase) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let order = try NewOrder.make()
                _ = try await store.create(order)
                for write in transition.setup(order.id) {
                    guard case .applied = try await store.write(write) else { throw TransitionSetupFailed() }
                }
                let before = try #require(try await store.order(id: order.id))
                let write = transition.write(order.id)
                let target = try #require(write.transition)
                guard case .applied(let change?) = try await store.write(write) else {
                    Issue.record("the transition did not apply")
                    return
                }
                let expected = OrderChange(
                    orderID: order.id, state: target.to, cancelReason: target.cancelReason,
                    paymentID: target.paymentID ?? before.paymentID, deliverAt: target.deliverAt ?? before.deliverAt,
                    updatedAt: write.now, version: before.version + 1
                )
                #expect(change == expected)
                #expect(try await store.order(id: order.id) == before.applying(expected))
                #expect(try await Self.jobKinds(in: store) == transition.jobsAfter)

                // Lost: the order is no longer in `from`. Nothing changes, no job effect.
                #expect(try await store.write(write) == .conflict)
                // No transition ends in `created`: the order has left it.
                let stale = OrderWrite(
                    orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested),
                    completesJob: .refund, addsRefund: .init(paymentID: nil, reason: "stale", firstAttemptLease: 1), now: 3_000)
                #expect(try await store.write(stale) == .conflict)
                #expect(try await store.write(OrderWrite(orderID: "no-such-order", transition: target, now: 3_000)) == .conflict)
                #expect(try await store.order(id: order.id) == before.applying(expected))
                #expect(try await Self.jobKinds(in: store) == transition.jobsAfter)
            }
        }
    }

    /// A payment approval and a cancel race on each order from two replicas: exactly one wins,
    /// and the order ends in the winner's state.
    @Test(arguments: StoreBackend.tested)
    func racingTransitionsHaveExactlyOneWinner(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStores(2) { stores in
                let orders = try (0..<30).map { _ in try NewOrder.make() }
                for order in orders { _ = try await stores[0].create(order) }
                let outcomes = try await withThrowingTaskGroup(of: (String, OrderLifecycle.State, OrderWrite.Outcome).self) { group in
                    for (index, order) in orders.enumerated() {
                        let confirm = OrderWrite.confirm(order.id, now: 2_000)
                        let cancel = OrderWrite(orderID: order.id, transition: .init(from: .created, to: .cancelled, cancelReason: .userRequested), now: 2_000)
                        group.addTask { (order.id, .confirmed, try await stores[index % 2].write(confirm)) }
                        group.addTask { (order.id, .cancelled, try await stores[(index + 1) % 2].write(cancel)) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for order in orders {
                    let mine = outcomes.filter { $0.0 == order.id }
                    let winners = mine.filter { if case .applied = $0.2 { true } else { false } }
                    #expect(winners.count == 1)
                    #expect(mine.filter { $0.2 == .conflict }.count == 1)
                    let final = try #require(try await stores[1].order(id: order.id))
                    #expect(final.state == winners.first?.1)
                    #expect(final.version == 2)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.tested)
    func anOrderGetsOneRefundJob(backend: StoreBackend) async throws {
        try await withOrderDatabase(backend) { database in
            try await database.withStore { store in
                let order = try NewOrder.make()
                _ = try await store.create(order)
                let refund = OrderWrite(
                    orderID: order.id, transition: nil, completesJob: .charge,
                    addsRefund: .init(paymentID: "pay-1", reason: "r", firstAttemptLease: 10), now: 5)
                #expect(try await store.write(refund) == .applied(nil))
                #expect(try await store.write(refund) == .applied(nil))
                let jobs = try await store.claimDueJobs(now: 10, leaseUntil: 100, limit: 10)
                #expect(jobs == [PaymentJob(orderID: order.id, kind: .refund, attempts: 0, nextAttemptAt: 100, paymentID: "pay-1", reason: "r")])
                #expect(try await store.write(OrderWrite(orderID: order.id, transition: nil, completesJob: .refund, now: 6)) == .applied(nil))
                #expect(try await store.earliestJobDue() == nil)
            }
        }
    }

    /// The kinds of every job in the store, sorted (claims them: use at the end of a case).
    static func jobKinds(in store: any OrderStore) async throws -> [PaymentJob.Kind] {
        let due = try await store.claimDueJobs(now: .max - 1, leaseUntil: .max - 1, limit: 100)
        return due.map(\.kind).sorted { $0.rawValue < $1.rawValue }
    }
}

/// A case's setup writes did not apply: the case itself is wrong.
struct TransitionSetupFailed: Error {}
