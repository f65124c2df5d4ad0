import Synchronization

/// Lets one background loop sleep until a deadline or until something new is worth looking at
/// (`signal()`), whichever comes first. A signal sent while nobody waits is kept for the next
/// wait, so none is lost between a loop's check and its sleep.
public final class WakeSignal: Sendable {
    private struct State {
        var signalled = false
        var nextWaitID: UInt64 = 0
        var releasedUpTo: UInt64 = 0
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    /// Nobody waiting, nothing signalled.
    public init() {}

    /// Wakes the current wait, or the next one.
    public func signal() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        continuation?.resume()
    }

    /// Returns on `signal()`, after `timeout`, or when the task is cancelled.
    public func wait(timeout: Duration) async {
        let id = state.withLock { state in
            state.nextWaitID += 1
            return state.nextWaitID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.release(id)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    if state.releasedUpTo >= id { return true }
                    state.waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            release(id)
        }
    }

    /// Ends wait `id` (and any older one) if it is still waiting, or as soon as it starts.
    private func release(_ id: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.releasedUpTo = max(state.releasedUpTo, id)
            guard let waiter = state.waiter, waiter.id <= id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        continuation?.resume()
    }
}
