import NIOCore
import NIOPosix
import RPC
import Synchronization

/// Connections: acquiring one for a call, connecting, and forgetting ones that went away.
extension HTTP2ClientTransport {
    func effectiveTimeout(_ options: CallOptions) throws -> Duration? {
        let timeout = options.timeout ?? config.defaultTimeout
        if let timeout, timeout <= .zero { throw RPCError(code: .deadlineExceeded, message: "deadline exceeded before the call started") }
        return timeout
    }

    func acquireConnection() async throws -> ClientConnection {
        if let ready = state.withLock({ state -> ClientConnection? in
            if case .ready(let connection) = state.machine.state { return connection }
            return nil
        }) {
            return ready
        }
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
            do {
                let connection = try await connect()
                let waiters = state.withLock { state in
                    state.machine.connected(connection)
                    if state.unusableIDs.contains(connection.id) {
                        // It went away while connecting: the next call connects anew.
                        state.machine.connectionUnusable { $0.id == connection.id }
                    }
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(returning: .use(connection)) }
                return connection
            } catch {
                let failure = RPCError(code: .unavailable, message: "cannot connect to \(config.host):\(config.port): \(error)")
                let waiters = state.withLock { state in
                    state.machine.connectFailed(failure, now: .now)
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(returning: .fail(failure)) }
                throw failure
            }
        }
    }

    private func connect() async throws -> ClientConnection {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let slot = HandlerSlot()
        let config = self.config
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(config.connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [weak self] channel in
                let transport = self
                return channel.eventLoop.makeCompletedFuture {
                    let handler = ClientConnectionHandler(config: config, onUnusable: { [weak transport] in transport?.connectionUnusable(id: id) })
                    try channel.pipeline.syncOperations.addHandler(handler)
                    slot.store(LoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
            .connect(host: config.host, port: config.port)
            .get()
        guard let handler = slot.load() else {
            channel.close(promise: nil)
            throw RPCError(code: .internal, message: "connection handler missing")
        }
        let closed = state.withLock { state in
            if !state.closed { state.channels[id] = channel }
            return state.closed
        }
        if closed {
            try? await channel.close().get()
            throw RPCError(code: .unavailable, message: "the client transport is closed")
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { state in
                state.channels.removeValue(forKey: id)
                state.unusableIDs.remove(id)
            }
        }
        return ClientConnection(channel: channel, handler: handler, id: id)
    }

    private func connectionUnusable(id: Int) {
        state.withLock { state in
            state.unusableIDs.insert(id)
            state.machine.connectionUnusable { $0.id == id }
        }
    }
}
