import NIOCore
import RPC

/// Keeping the address set current: resolve at the first call, then every `resolveInterval`,
/// and sooner (but at most once per `minResolveInterval`) after a connection fails.
extension RoundRobinBalancer {
    /// Starts the resolution loop on the first call.
    func startResolving() {
        state.withLock { state in
            guard !state.started, !state.closed else { return }
            state.started = true
            // Weak: a transport dropped without `close()` stops resolving after its next turn.
            state.resolution = Task { [weak self] in
                while let balancer = self, await balancer.resolutionTurn() {}
            }
        }
    }

    /// One resolution, then the wait for the next; false once closed.
    private func resolutionTurn() async -> Bool {
        await resolveOnce()
        try? await Task.sleep(for: config.minResolveInterval)
        guard !state.withLock({ $0.closed }) else { return false }
        await waitForNextResolution(upTo: max(.zero, config.resolveInterval - config.minResolveInterval))
        return !state.withLock { $0.closed }
    }

    /// Asks for a resolution now (the loop still keeps `minResolveInterval` between two).
    func requestResolution() {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let wake = state.wake else {
                state.resolveRequested = true
                return nil
            }
            state.wake = nil
            return wake.continuation
        }
        wake?.resume()
    }

    private func waitForNextResolution(upTo delay: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> Int? in
                guard !state.closed, !state.resolveRequested else {
                    state.resolveRequested = false
                    return nil
                }
                state.wakeGeneration += 1
                state.wake = (state.wakeGeneration, continuation)
                return state.wakeGeneration
            }
            guard let generation else { return continuation.resume() }
            group.next().scheduleTask(in: .nanoseconds(delay.nanoseconds)) { [weak self] in
                self?.intervalElapsed(generation: generation)
            }
        }
    }

    private func intervalElapsed(generation: Int) {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let wake = state.wake, wake.generation == generation else { return nil }
            state.wake = nil
            return wake.continuation
        }
        wake?.resume()
    }

    /// Resolves the name and reconciles the subchannels with the answer: new addresses are
    /// connected, vanished ones drained (their open calls finish). A failed lookup keeps the
    /// current addresses.
    private func resolveOnce() async {
        let result: Result<[SocketAddress], any Error>
        do {
            result = .success(try await config.resolver.resolve(host: target.host, port: target.port))
        } catch {
            result = .failure(error)
        }
        let (added, removed) = state.withLock { state -> ([Subchannel], [Subchannel]) in
            guard !state.closed else { return ([], []) }
            state.resolvedOnce = true
            switch result {
            case .failure(let error):
                state.resolutionError = RPCError(code: .unavailable, message: "cannot resolve \(target.host): \(error)")
                return ([], [])
            case .success(let addresses):
                state.resolutionError =
                    addresses.isEmpty
                    ? RPCError(code: .unavailable, message: "\(target.host) resolved to no addresses") : nil
                var current = Dictionary(uniqueKeysWithValues: state.subchannels.map { ($0.address, $0) })
                var kept: [Subchannel] = []
                var added: [Subchannel] = []
                for address in addresses {
                    if let subchannel = current.removeValue(forKey: address) {
                        kept.append(subchannel)
                    } else if !kept.contains(where: { $0.address == address }) {
                        let subchannel = makeSubchannel(address)
                        kept.append(subchannel)
                        added.append(subchannel)
                    }
                }
                state.subchannels = kept
                if state.next >= kept.count { state.next = 0 }
                return (added, Array(current.values))
            }
        }
        for subchannel in added { subchannel.connectIfIdle() }
        for subchannel in removed { await subchannel.close(graceful: true) }
        wakeWaiters()
    }
}
