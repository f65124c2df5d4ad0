import NIOCore
import NIOPosix
import RPC
import Synchronization

/// The connection to one server address: connecting, backing off after failures, and handing
/// the live connection to calls.
///
/// A lazy subchannel (a literal-IP target) connects when a call asks and, after a failure,
/// fails calls fast until its backoff delay has passed; the next call then reconnects. An
/// eager one (an address of a balanced name) connects at once, reconnects right after its
/// connection goes away and again after each failure's backoff, and reports every change to
/// its balancer, which picks among ready subchannels without waiting on any one of them.
final class Subchannel: Sendable {
    /// What happened, for the balancer.
    enum Event: Sendable {
        case ready
        case connectFailed
        /// The ready connection received GOAWAY or closed.
        case connectionLost
    }

    /// Where the subchannel stands, for the balancer.
    enum Phase {
        case ready(ClientConnection)
        case connecting
        case failing(RPCError)
    }

    let address: SocketAddress
    let config: HTTP2ClientTransport.Config
    let group: any EventLoopGroup
    let eager: Bool
    let onEvent: @Sendable (Event) -> Void
    let state: Mutex<State>

    struct State {
        var machine: ClientConnectionStateMachine<ClientConnection>
        var waiters: [CheckedContinuation<Acquire, any Error>] = []
        var channels: [Int: any Channel] = [:]
        var nextID = 0
        var closed = false
        /// Connections that reported GOAWAY or closure, possibly before they were recorded as ready.
        var unusableIDs: Set<Int> = []
        /// An eager subchannel's pending reconnection after a backoff delay.
        var retry: Scheduled<Void>?
    }

    enum Acquire: Sendable {
        case use(ClientConnection)
        case connect
        case fail(RPCError)
    }

    init(
        address: SocketAddress, config: HTTP2ClientTransport.Config, group: any EventLoopGroup,
        eager: Bool, onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.address = address
        self.config = config
        self.group = group
        self.eager = eager
        self.onEvent = onEvent
        let backoff = ClientConnectionStateMachine<ClientConnection>.Backoff(
            initial: config.backoffInitial, multiplier: config.backoffMultiplier,
            maximum: config.backoffMaximum, jitter: config.backoffJitter)
        self.state = Mutex(State(machine: ClientConnectionStateMachine(backoff: backoff)))
    }

    var phase: Phase {
        state.withLock { state in
            switch state.machine.state {
            case .ready(let connection): return .ready(connection)
            case .idle, .connecting: return .connecting
            case .backingOff(_, let error): return .failing(error)
            }
        }
    }

    /// The live connection, when there is one; nil while idle, connecting or backing off.
    var readyConnection: ClientConnection? {
        state.withLock { state in
            if case .ready(let connection) = state.machine.state { return connection }
            return nil
        }
    }

    /// A lazy subchannel's connection for a call: the ready one, or a new one, or UNAVAILABLE
    /// while backing off.
    func acquire() async throws -> ClientConnection {
        if let ready = readyConnection { return ready }
        let now = ContinuousClock.now
        let action = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Acquire, any Error>) in
            let immediate: Acquire? = state.withLock { state in
                switch state.machine.callRequested(now: now) {
                case .use(let connection): return .use(connection)
                case .fail(let error): return .fail(error)
                case .connect: return .connect
                case .wait:
                    state.waiters.append(continuation)
                    return nil
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        switch action {
        case .use(let connection):
            return connection
        case .fail(let error):
            throw error
        case .connect:
            return try await attempt()
        }
    }

    /// An eager subchannel connects now unless it is connected or connecting; while backing
    /// off it schedules the attempt for the end of the delay.
    func connectIfIdle() {
        let start = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            let now = ContinuousClock.now
            if case .backingOff(let until, _) = state.machine.state, until > now {
                scheduleRetry(in: until - now, state: &state)
                return false
            }
            if case .connect = state.machine.callRequested(now: now) { return true }
            return false
        }
        if start {
            Task { _ = try? await self.attempt() }
        }
    }

    func scheduleRetry(in delay: Duration, state: inout State) {
        state.retry?.cancel()
        state.retry = group.next().scheduleTask(in: .nanoseconds(delay.nanoseconds)) { [weak self] in
            self?.connectIfIdle()
        }
    }

    /// Takes no more calls. With `graceful`, open calls finish first (each connection closes
    /// when its last stream ends); otherwise every connection closes now and its calls fail
    /// with UNAVAILABLE.
    func close(graceful: Bool) async {
        let channels = state.withLock { state in
            state.closed = true
            state.retry?.cancel()
            state.retry = nil
            state.machine.shutDown(error: RPCError(code: .unavailable, message: "the client transport is closed"))
            return Array(state.channels.values)
        }
        if graceful {
            for channel in channels {
                channel.eventLoop.execute {
                    (try? channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self))?.drain()
                }
            }
        } else {
            for channel in channels { try? await channel.close().get() }
        }
    }
}
