import PostgresNIO
import StorageSupport
import Synchronization

/// One `PostgresStorage.leased` call: the connection it holds, once it holds one, and its
/// outcome, decided once by whichever ends it first (the statement, or the storage's watchdog
/// that gives up on a connection that never comes or a statement a closed connection never
/// answers).
final class PostgresLease<T: Sendable>: WatchedLease {
    private struct State {
        var connection: PostgresConnection?
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
        /// The task running the statement; cancelled when the lease is given up.
        var work: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// The connection `body` runs on, or nil while the lease waits for one.
    var connection: PostgresConnection? {
        state.withLock { $0.connection }
    }

    /// Records the connection handed out; false when the outcome is decided already, so the
    /// statement must not run.
    func connected(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            guard state.result == nil else { return false }
            state.connection = connection
            return true
        }
    }

    /// Records the task running the statement (cancelled at once if the lease was given up).
    func started(_ work: Task<Void, Never>) {
        let givenUp = state.withLock { state -> Bool in
            state.work = work
            return state.result != nil
        }
        if givenUp { work.cancel() }
    }

    /// Fails the call with `error` and cancels the statement's task.
    func giveUp(_ error: StorageError) {
        finish(.failure(error))
        state.withLock { $0.work }?.cancel()
    }

    /// Decides the outcome, unless it is decided already (a later one is dropped).
    func finish(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    /// Waits for the outcome (only one caller waits).
    func outcome() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<T, any Error>? in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
