import Synchronization

/// Whether Orders' calls to Payments are being refused for a reason only an operator can fix
/// (UNAUTHENTICATED, PERMISSION_DENIED: a wrong service secret or certificate), as readiness
/// reports it: the service's own health name is NOT_SERVING meanwhile, while the empty name
/// (liveness) stays SERVING.
///
/// The dispatcher records the outcome of every Payments call; observers hear only changes.
/// A network failure says nothing about the configuration and leaves the state as it is.
public final class PaymentsLinkMonitor: Sendable {
    /// What the last conclusive Payments call showed.
    public enum State: Sendable, Equatable {
        /// Payments answered (approved, declined, or refused the request itself).
        case healthy
        /// Payments refused the caller: `reason` is the status message, for logs and health.
        case refused(reason: String)
    }

    /// Called with each new state, outside any lock.
    public typealias Observer = @Sendable (State) -> Void

    private struct Inner {
        var state: State = .healthy
        var observers: [Observer] = []
    }

    private let inner = Mutex(Inner())

    public init() {}

    /// The current state.
    public var state: State { inner.withLock { $0.state } }

    /// Adds an observer and tells it the current state at once.
    public func observe(_ observer: @escaping Observer) {
        let current = inner.withLock { inner in
            inner.observers.append(observer)
            return inner.state
        }
        observer(current)
    }

    /// Records a call's outcome; observers run when the state changes.
    func record(_ state: State) {
        let observers: [Observer] = inner.withLock { inner in
            guard inner.state != state else { return [] }
            // Only the healthy/refused switch matters to observers, not a changed message.
            let switched = (inner.state == .healthy) != (state == .healthy)
            inner.state = state
            return switched ? inner.observers : []
        }
        for observer in observers { observer(state) }
    }
}
