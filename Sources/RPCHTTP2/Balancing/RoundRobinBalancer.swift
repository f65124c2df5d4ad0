import NIOCore
import RPC
import Synchronization

/// Spreads calls round-robin over one connection per address of a host name.
///
/// Every resolved address gets an eager `Subchannel`; a call takes the next ready one. An
/// address whose connection fails leaves the rotation until its subchannel reconnects after
/// the backoff delay. A call waits only while nothing is ready but something is still
/// connecting (or the first resolution is running); when every address is failing it fails at
/// once with UNAVAILABLE. The address set is kept current by `RoundRobinBalancer+Resolution`.
final class RoundRobinBalancer: Sendable {
    let target: ClientTarget
    let config: HTTP2ClientTransport.Config
    let group: any EventLoopGroup
    let state = Mutex(State())

    struct State {
        /// In the resolver's order.
        var subchannels: [Subchannel] = []
        /// Index of the subchannel to try first for the next call.
        var next = 0
        /// Calls waiting for a subchannel to become ready (or for every one to fail).
        var waiters: [CheckedContinuation<Void, Never>] = []
        var started = false
        var resolvedOnce = false
        /// Why the last resolution gave no usable answer, if it did not.
        var resolutionError: RPCError?
        var closed = false
        var resolution: Task<Void, Never>?
        /// The resolution loop waiting for its next turn, and the generation of that wait.
        var wake: (generation: Int, continuation: CheckedContinuation<Void, Never>)?
        var wakeGeneration = 0
        /// A resolution was asked for while none was waiting to be woken.
        var resolveRequested = false
    }

    private enum Pick {
        case use(ClientConnection)
        case wait
        case fail(RPCError)
    }

    init(target: ClientTarget, config: HTTP2ClientTransport.Config, group: any EventLoopGroup) {
        self.target = target
        self.config = config
        self.group = group
    }

    /// A ready connection for a call, round-robin over the addresses.
    func acquire() async throws -> ClientConnection {
        startResolving()
        while true {
            switch state.withLock({ pick(&$0) }) {
            case .use(let connection):
                return connection
            case .fail(let error):
                requestResolution()
                throw error
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let waiting = state.withLock { state -> Bool in
                        guard case .wait = pick(&state) else { return false }
                        state.waiters.append(continuation)
                        return true
                    }
                    if !waiting { continuation.resume() }
                }
            }
        }
    }

    /// The next ready connection in turn without waiting; nil when `acquire` would wait or fail.
    func readyConnection() -> ClientConnection? {
        startResolving()
        guard case .use(let connection) = state.withLock({ pick(&$0) }) else { return nil }
        return connection
    }

    private func pick(_ state: inout State) -> Pick {
        guard !state.closed else { return .fail(RPCError(code: .unavailable, message: "the client transport is closed")) }
        guard state.resolvedOnce else { return .wait }
        let count = state.subchannels.count
        guard count > 0 else {
            return .fail(state.resolutionError ?? RPCError(code: .unavailable, message: "\(target.host) has no addresses"))
        }
        var connecting = false
        var lastError: RPCError?
        for offset in 0..<count {
            let index = (state.next + offset) % count
            switch state.subchannels[index].phase {
            case .ready(let connection):
                state.next = (index + 1) % count
                return .use(connection)
            case .connecting:
                connecting = true
            case .failing(let error):
                lastError = error
            }
        }
        if connecting { return .wait }
        let reason = lastError.map { ": \($0.message)" } ?? ""
        return .fail(RPCError(code: .unavailable, message: "no address of \(target.host):\(target.port) is reachable\(reason)"))
    }

    /// A subchannel changed: waiting calls look again; a failure asks for a fresh resolution.
    func subchannelEvent(_ event: Subchannel.Event) {
        switch event {
        case .ready:
            break
        case .connectFailed, .connectionLost:
            requestResolution()
        }
        wakeWaiters()
    }

    func wakeWaiters() {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func makeSubchannel(_ address: SocketAddress) -> Subchannel {
        Subchannel(address: address, config: config, group: group, eager: true) { [weak self] event in
            self?.subchannelEvent(event)
        }
    }

    /// Stops resolving and closes every connection; calls in flight fail with UNAVAILABLE.
    func close() async {
        let (subchannels, wake, resolution) = state.withLock { state in
            state.closed = true
            defer {
                state.subchannels.removeAll()
                state.wake = nil
                state.resolution = nil
            }
            return (state.subchannels, state.wake?.continuation, state.resolution)
        }
        resolution?.cancel()
        wake?.resume()
        wakeWaiters()
        for subchannel in subchannels { await subchannel.close(graceful: false) }
    }
}
