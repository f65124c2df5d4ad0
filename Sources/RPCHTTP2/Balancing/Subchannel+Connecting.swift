import NIOCore
import NIOPosix
import NIOSSL
import RPC

/// Making a connection, and noticing when it stops taking calls.
extension Subchannel {
    /// One connection attempt, already recorded as `.connecting` in the state machine.
    func attempt() async throws -> ClientConnection {
        do {
            let connection = try await connect()
            let (waiters, lostAlready) = state.withLock { state in
                // Once closed the machine stays shut down (close() closes this channel).
                if !state.closed { state.machine.connected(connection) }
                defer { state.waiters.removeAll() }
                // A connection closed before this point may already be gone from `unusableIDs`.
                return (state.waiters, state.unusableIDs.contains(connection.id) || !connection.channel.isActive)
            }
            for waiter in waiters { waiter.resume(returning: .use(connection)) }
            onEvent(.ready)
            // It went away while connecting: the next call (or an eager subchannel) connects anew.
            if lostAlready { connectionUnusable(id: connection.id, graceful: connection.ending.isGraceful) }
            return connection
        } catch {
            let failure = RPCError(code: .unavailable, message: "cannot connect to \(describe(address)): \(error)")
            let waiters = state.withLock { state in
                if !state.closed {
                    let delay = state.machine.connectFailed(failure, now: .now)
                    if eager { scheduleRetry(in: delay, state: &state) }
                }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: .fail(failure)) }
            onEvent(.connectFailed)
            throw failure
        }
    }

    private func connect() async throws -> ClientConnection {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let slot = HandlerSlot()
        let ending = ConnectionEnding()
        let config = self.config
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(config.connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [weak self] channel in
                let subchannel = self
                return channel.eventLoop.makeCompletedFuture {
                    if let tls = config.tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls.current, serverHostname: config.tlsServerHostname))
                        let waiter = ClientHandshakeWaiter(eventLoop: channel.eventLoop, timeout: config.connectTimeout)
                        slot.handshake = waiter.outcome
                        try channel.pipeline.syncOperations.addHandler(waiter)
                    }
                    let handler = ClientConnectionHandler(
                        config: config,
                        onUnusable: { [weak subchannel] graceful in
                            if graceful { ending.markGraceful() }
                            subchannel?.connectionUnusable(id: id, graceful: graceful)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                    slot.store(LoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
            .connect(to: address)
            .get()
        guard let handler = slot.load() else {
            channel.close(promise: nil)
            throw RPCError(code: .internal, message: "connection handler missing")
        }
        // Over TLS the connection is made once the handshake agreed on h2 with a trusted server.
        if let handshake = slot.handshake {
            do {
                try await handshake.get()
            } catch {
                channel.close(promise: nil)
                throw error
            }
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
        return ClientConnection(channel: channel, handler: handler, id: id, connectedAt: .now, ending: ending)
    }

    /// A connection stopped taking calls (GOAWAY or closed). An eager subchannel reconnects at
    /// once, unless the connection lasted less than the initial backoff delay without ending
    /// gracefully: that counts as a failed attempt, so a server that accepts and drops
    /// connections is not hammered. A graceful GOAWAY (a server at its maximum connection age,
    /// or draining) is never a failure however young the connection, or a short age would
    /// make a healthy server look unreachable.
    func connectionUnusable(id: Int, graceful: Bool = false) {
        let event = state.withLock { state -> Event? in
            state.unusableIDs.insert(id)
            var lost: ClientConnection?
            state.machine.connectionUnusable { connection in
                guard connection.id == id else { return false }
                lost = connection
                return true
            }
            guard let lost else { return nil }
            // Handled: remembering the id is only for a connection not yet recorded as ready.
            state.unusableIDs.remove(id)
            guard eager, !state.closed, !graceful, ContinuousClock.now - lost.connectedAt < config.backoffInitial else {
                return .connectionLost
            }
            let failure = RPCError(code: .unavailable, message: "\(describe(address)) closed the connection right after it was made")
            scheduleRetry(in: state.machine.connectFailed(failure, now: .now), state: &state)
            return .connectFailed
        }
        guard let event else { return }
        onEvent(event)
        if eager, case .connectionLost = event { connectIfIdle() }
    }

    private func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
