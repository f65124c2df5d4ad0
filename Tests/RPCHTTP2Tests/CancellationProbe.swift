import Synchronization

/// Records what handlers saw, for assertions from the test, and lets a test hold handlers.
final class CancellationProbe: Sendable {
    private let state = Mutex((started: 0, cancelled: 0, finished: 0, progress: 0, running: 0, maxRunning: 0, calls: 0))
    private let gate = Mutex<[CheckedContinuation<Void, Never>]?>([])

    var started: Int { state.withLock { $0.started } }
    var cancelled: Int { state.withLock { $0.cancelled } }
    var finished: Int { state.withLock { $0.finished } }

    /// Messages a streaming handler has written or read so far.
    var progress: Int { state.withLock { $0.progress } }

    func markProgress() { state.withLock { $0.progress += 1 } }

    /// Calls counted by a handler (`EchoMethods.peer`).
    var calls: Int { state.withLock { $0.calls } }

    func markCall() { state.withLock { $0.calls += 1 } }

    /// The most handlers that ran at once (between `enter` and `leave`).
    var maxRunning: Int { state.withLock { $0.maxRunning } }

    func enter() {
        state.withLock { state in
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
        }
    }

    func leave() { state.withLock { $0.running -= 1 } }
    func markStarted() { state.withLock { $0.started += 1 } }
    func markCancelled() { state.withLock { $0.cancelled += 1 } }
    func markFinished() { state.withLock { $0.finished += 1 } }

    /// Waits until `open()` (ignores cancellation, like slow database work would).
    func waitAtGate() async {
        await withCheckedContinuation { continuation in
            let stillClosed = gate.withLock { waiters -> Bool in
                guard waiters != nil else { return false }
                waiters!.append(continuation)
                return true
            }
            if !stillClosed { continuation.resume() }
        }
    }

    func open() {
        let waiters = gate.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Polls `condition` for up to `seconds`.
    func eventually(_ seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
