/// The rules of one server connection, free of I/O: preface, idleness, in-flight handler work,
/// and the GOAWAY drain.
struct ServerConnectionStateMachine {
    enum State: Equatable {
        /// Waiting for the client preface and SETTINGS.
        case awaitingPreface
        case active
        /// GOAWAY sent: existing streams finish, then the connection closes.
        case draining
    }

    private(set) var state = State.awaitingPreface
    private(set) var openStreams = 0
    private(set) var inFlightHandlers = 0
    let maxInFlightHandlers: Int

    init(maxInFlightHandlers: Int) {
        self.maxInFlightHandlers = maxInFlightHandlers
    }

    /// New streams are refused while this many handlers still run (reset streams included).
    var atHandlerCapacity: Bool { inFlightHandlers >= maxInFlightHandlers }

    /// No stream is open and no handler runs.
    var isIdle: Bool { openStreams == 0 && inFlightHandlers == 0 }

    /// Draining and every stream is done: close now.
    var shouldClose: Bool { state == .draining && openStreams == 0 }

    mutating func settingsReceived() {
        if state == .awaitingPreface { state = .active }
    }

    /// The preface timer fired; true when the connection must close.
    func prefaceTimedOut() -> Bool {
        state == .awaitingPreface
    }

    mutating func streamOpened() { openStreams += 1 }
    mutating func streamClosed() { openStreams = max(0, openStreams - 1) }
    mutating func handlerStarted() { inFlightHandlers += 1 }
    mutating func handlerFinished() { inFlightHandlers = max(0, inFlightHandlers - 1) }

    /// Starts the drain; true when GOAWAY must be sent (only the first time).
    mutating func beginDrain() -> Bool {
        guard state != .draining else { return false }
        state = .draining
        return true
    }

    enum IdleAction: Equatable {
        /// Idle long enough: GOAWAY and close.
        case drain
        /// Check again after this long.
        case recheck(after: Duration)
        /// Not idle: nothing until it becomes idle again.
        case none
    }

    /// The idle timer fired; `idleFor` is how long the connection has been idle (nil: it is busy).
    func idleTimerFired(idleFor: Duration?, timeout: Duration) -> IdleAction {
        guard state != .draining, let idleFor else { return .none }
        return idleFor >= timeout ? .drain : .recheck(after: timeout - idleFor)
    }
}
