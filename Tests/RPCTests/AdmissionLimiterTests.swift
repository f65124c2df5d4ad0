import Testing

@testable import RPC

/// The admission limits breached one by one: a full queue refuses at once, a waiter that gets
/// no slot in time is refused, and a freed slot goes to the longest waiter; afterwards the
/// limiter admits again.
@Suite struct AdmissionLimiterTests {
    @Test func admitsUpToTheLimitThenQueuesThenRefuses() async throws {
        let limiter = AdmissionLimiter(.init(maxConcurrent: 2, maxQueued: 1, maxQueueWait: .seconds(30)))
        try await limiter.admit()
        try await limiter.admit()
        let queued = Task { try await limiter.admit() }
        try await waitUntil { limiter.load.queued == 1 }
        await #expect(throws: AdmissionLimiter.Refusal.queueFull(running: 2, queued: 1)) { try await limiter.admit() }
        // A slot freed goes to the waiter, which then runs.
        limiter.release()
        try await queued.value
        #expect(limiter.load.running == 2 && limiter.load.queued == 0)
        limiter.release()
        limiter.release()
        #expect(limiter.load.running == 0 && limiter.load.queued == 0)
        // Still serving after the refusal.
        #expect(try await limiter.run { 42 } == 42)
    }

    @Test func aWaiterWithoutASlotInTimeIsRefused() async throws {
        let limiter = AdmissionLimiter(.init(maxConcurrent: 1, maxQueued: 4, maxQueueWait: .milliseconds(50)))
        try await limiter.admit()
        await #expect(throws: AdmissionLimiter.Refusal.waitedTooLong(.milliseconds(50))) { try await limiter.admit() }
        #expect(limiter.load.running == 1 && limiter.load.queued == 0)
        limiter.release()
        try await limiter.admit()
        limiter.release()
    }

    @Test func refusalsSayTheServerIsOverloaded() {
        #expect(
            AdmissionLimiter.Refusal.queueFull(running: 4, queued: 8).description
                == "server overloaded: 4 calls running and 8 waiting; retry later")
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<2000 where !condition() {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(condition())
    }
}
