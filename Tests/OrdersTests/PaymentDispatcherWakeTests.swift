import Synchronization
import Testing
@testable import Orders

@Suite("The payment job loop looks at the job table when there is something to claim, not after every attempt")
struct PaymentDispatcherWakeTests {
    /// `.fast`, except that the job loop's poll is far longer than any test here, so every
    /// look it takes at the table comes from a wake-up, and `maxInFlight`.
    private static func config(maxInFlight: Int) -> OrderSystem.Config {
        var config = OrderSystem.Config.fast
        config.dispatcher.pollInterval = .seconds(600)
        config.dispatcher.maxInFlight = maxInFlight
        return config
    }

    /// An order system on a recording SQLite store, not started yet, shut down after `body`.
    private static func withRecordedSystem<T>(
        gateway: ScriptedGateway, config: OrderSystem.Config, _ body: (OrderSystem, RecordingOrderStore) async throws -> T
    ) async throws -> T {
        try await withTemporaryDirectory { directory in
            try await withOrderStore(in: directory) { base in
                let store = RecordingOrderStore(base: base)
                let system = OrderSystem(store: store, gateway: gateway, config: config, logger: .test)
                do {
                    let result = try await body(system, store)
                    await system.shutdown()
                    return result
                } catch {
                    await system.shutdown()
                    throw error
                }
            }
        }
    }

    @Test func finishedAttemptsDoNotSendTheLoopToTheTable() async throws {
        try await Self.withRecordedSystem(gateway: ScriptedGateway(), config: Self.config(maxInFlight: 256)) { system, store in
            system.start()
            // One order at a time, each charged and confirmed before the next: a loop woken
            // by every finished attempt would look at the table about once per order.
            for _ in 0..<30 {
                let order = try await system.create(.make())
                try await eventually("order confirmed") { try await system.order(id: order.id).state != .created }
            }
            let looks = store.earliestJobDueCalls.all
            #expect(looks < 10, "the job loop looked at the table \(looks) times for 30 orders charged in-process")
        }
    }

    @Test func aJobWaitingForRoomStartsWhenAnAttemptFinishes() async throws {
        // The first order's charge is held until released; with room for one attempt, the
        // second order's job waits in the table until its first lease ends. Both are created
        // before the loop starts, so its first look sees their leases and it sleeps until then.
        let held = Mutex<String?>(nil)
        let released = Mutex(false)
        let gateway = ScriptedGateway(beforeAnswer: { orderID in
            let hold = held.withLock { first in
                if first == nil { first = orderID }
                return first == orderID
            }
            while hold, !released.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
        })
        try await Self.withRecordedSystem(gateway: gateway, config: Self.config(maxInFlight: 1)) { system, store in
            let first = try await system.create(.make())
            try await eventually("first charge under way") { held.withLock { $0 } == first.id }
            let second = try await system.create(.make())
            system.start()
            // The loop found the second job due and no room: it waits for an attempt to finish
            // (its poll is 600 s away).
            try await eventually("the loop found a job due") { store.earliestJobDueCalls.foundDue > 0 }
            #expect(try await system.order(id: second.id).state == .created)
            released.withLock { $0 = true }
            try await eventually("second order charged") { try await system.order(id: second.id).state == .confirmed }
            #expect(try await system.order(id: first.id).state == .confirmed)
        }
    }
}
