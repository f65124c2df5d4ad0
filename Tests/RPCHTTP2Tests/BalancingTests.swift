import NIOCore
import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

/// Client-side balancing: a host name with several addresses (loopback 127.0.0.2 and
/// 127.0.0.3 standing in for pods) behind an injected resolver, and one name through the
/// system resolver.
@Suite struct BalancingTests {
    /// A started echo server on `host` (port 0), its probe and its address.
    private struct Replica {
        let server: RPCServer
        let probe: CancellationProbe
        let address: SocketAddress

        static func start(host: String, port: Int = 0) async throws -> Replica {
            let probe = CancellationProbe()
            let server = RPCServer(router: EchoMethods.router(probe: probe), config: .init(host: host, port: port))
            let address = try await server.start()[0]
            return Replica(server: server, probe: probe, address: address)
        }
    }

    /// Runs `body` with a client for the name `echo.test`, resolved by `resolver`; always closes it.
    private func withBalancedClient<T>(
        resolver: any NameResolver,
        _ body: (RPCClient) async throws -> T
    ) async throws -> T {
        let config = HTTP2ClientTransport.Config(
            host: "echo.test", port: 50051, backoffInitial: .milliseconds(50), backoffMaximum: .milliseconds(500),
            resolver: resolver, resolveInterval: .milliseconds(200), minResolveInterval: .milliseconds(50))
        let transport = HTTP2ClientTransport(config: config)
        do {
            let result = try await body(RPCClient(transport: transport))
            await transport.close()
            return result
        } catch {
            await transport.close()
            throw error
        }
    }

    private func call(_ client: RPCClient) async throws {
        _ = try await client.unary(EchoMethods.peer, request: TestMessage(""), responseType: TestMessage.self)
    }

    /// Calls until every replica has answered at least once (each connection is up), at most ~5 s.
    private func callUntilAllAnswered(_ client: RPCClient, _ replicas: [Replica]) async throws {
        for _ in 0..<500 where replicas.contains(where: { $0.probe.calls == 0 }) {
            try await call(client)
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func callsSpreadRoundRobinOverEveryAddress() async throws {
        let a = try await Replica.start(host: "127.0.0.2")
        let b = try await Replica.start(host: "127.0.0.3")
        let resolver = ScriptedResolver([a.address, b.address])
        try await withBalancedClient(resolver: resolver) { client in
            try await callUntilAllAnswered(client, [a, b])
            #expect(a.probe.calls > 0 && b.probe.calls > 0, "both addresses got a connection")
            let (a0, b0) = (a.probe.calls, b.probe.calls)
            for _ in 0..<100 { try await call(client) }
            #expect(a.probe.calls - a0 == 50)
            #expect(b.probe.calls - b0 == 50)
        }
        #expect(resolver.lookups >= 1)
        await a.server.shutdown(gracePeriod: .seconds(1))
        await b.server.shutdown(gracePeriod: .seconds(1))
    }

    /// b stops (only its calls in flight fail), comes back at the same address (rejoins), then
    /// the name moves from b to a new address c (c joins, b leaves although it still runs).
    @Test func aStoppedAddressLeavesTheRotationRejoinsAndFollowsTheName() async throws {
        // b's port stays held while b is down, so the client's retries meet no other server.
        try await withHeldPort(host: "127.0.0.3") { bPort in
            try await stopRestartAndReplace(bPort: bPort)
        }
    }

    private func stopRestartAndReplace(bPort: Int) async throws {
        let a = try await Replica.start(host: "127.0.0.2")
        let b = try await Replica.start(host: "127.0.0.3", port: bPort)
        let resolver = ScriptedResolver([a.address, b.address])
        let workers = 4
        try await withBalancedClient(resolver: resolver) { client in
            try await callUntilAllAnswered(client, [a, b])

            // Stop b abruptly while several calls are in flight: only those may fail.
            let failures = Shared<[StatusCode?]>([])
            let running = Shared(true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        while running.withLock({ $0 }) {
                            do {
                                try await call(client)
                            } catch {
                                failures.withLock { $0.append((error as? RPCError)?.code) }
                            }
                        }
                    }
                }
                #expect(await b.probe.eventually { b.probe.calls > 20 })
                await b.server.shutdown(gracePeriod: .zero)
                let aBefore = a.probe.calls
                #expect(await a.probe.eventually(10) { a.probe.calls > aBefore + 200 }, "calls go on to a")
                running.withLock { $0 = false }
                try await group.waitForAll()
            }
            let seen = failures.current
            #expect(seen.count <= workers, "at most the calls in flight on b failed: \(seen)")
            #expect(seen.allSatisfy { $0 == .unavailable })

            // With b gone every call goes to a, and none fails.
            let aBefore = a.probe.calls
            for _ in 0..<50 { try await call(client) }
            #expect(a.probe.calls - aBefore == 50)

            // b back at the same address: its subchannel's retry after the backoff reconnects.
            let b2 = try await Replica.start(host: "127.0.0.3", port: bPort)
            try await callUntilAllAnswered(client, [b2])
            #expect(b2.probe.calls > 0, "the address rejoined the rotation")
            let (a1, b1) = (a.probe.calls, b2.probe.calls)
            for _ in 0..<100 { try await call(client) }
            #expect(a.probe.calls - a1 == 50)
            #expect(b2.probe.calls - b1 == 50)

            // The name now points at c instead of b (a new pod, a new address): c joins at the
            // next resolution and b leaves the rotation though it still answers.
            let c = try await Replica.start(host: "127.0.0.4")
            resolver.answer([a.address, c.address])
            try await callUntilAllAnswered(client, [c])
            #expect(c.probe.calls > 0, "the new address joined the rotation")
            let (a2, b3, c2) = (a.probe.calls, b2.probe.calls, c.probe.calls)
            for _ in 0..<100 { try await call(client) }
            #expect(a.probe.calls - a2 == 50)
            #expect(c.probe.calls - c2 == 50)
            #expect(b2.probe.calls == b3, "the vanished address takes no more calls")
            await b2.server.shutdown(gracePeriod: .seconds(1))
            await c.server.shutdown(gracePeriod: .seconds(1))
        }
        await a.server.shutdown(gracePeriod: .seconds(1))
    }

    /// Nothing fails here, so only the periodic resolution can find the new address.
    @Test func anAddressAddedToTheNameJoinsAtTheNextPeriodicResolution() async throws {
        let a = try await Replica.start(host: "127.0.0.2")
        let b = try await Replica.start(host: "127.0.0.3")
        let resolver = ScriptedResolver([a.address])
        try await withBalancedClient(resolver: resolver) { client in
            try await callUntilAllAnswered(client, [a])
            resolver.answer([a.address, b.address])
            try await callUntilAllAnswered(client, [a, b])
            #expect(b.probe.calls > 0, "the added address joined the rotation")
            let (a0, b0) = (a.probe.calls, b.probe.calls)
            for _ in 0..<100 { try await call(client) }
            #expect(a.probe.calls - a0 == 50)
            #expect(b.probe.calls - b0 == 50)
        }
        await a.server.shutdown(gracePeriod: .seconds(1))
        await b.server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func callsFailFastWithUnavailableWhenNoAddressIsReachable() async throws {
        try await withHeldPort(host: "127.0.0.2") { portA in
            try await withHeldPort(host: "127.0.0.3") { portB in
                let resolver = ScriptedResolver([
                    try SocketAddress(ipAddress: "127.0.0.2", port: portA),
                    try SocketAddress(ipAddress: "127.0.0.3", port: portB),
                ])
                try await withBalancedClient(resolver: resolver) { client in
                    // The first waits for both attempts to fail; the next fail while backing off.
                    for _ in 0..<3 {
                        #expect(await statusCode { try await call(client) } == .unavailable)
                    }
                }
            }
        }
    }

    @Test func aNameThatDoesNotResolveFailsWithUnavailable() async throws {
        let resolver = ScriptedResolver([])
        try await withBalancedClient(resolver: resolver) { client in
            #expect(await statusCode { try await call(client) } == .unavailable, "no addresses")
            resolver.failLookups()
            try await Task.sleep(for: .milliseconds(100))
            #expect(await statusCode { try await call(client) } == .unavailable, "lookup failed")
        }
    }

    @Test func aResolvedNameRecoversWhenItsFirstLookupFailed() async throws {
        let a = try await Replica.start(host: "127.0.0.2")
        let resolver = ScriptedResolver([])
        resolver.failLookups()
        try await withBalancedClient(resolver: resolver) { client in
            #expect(await statusCode { try await call(client) } == .unavailable)
            resolver.answer([a.address])
            var answered = false
            for _ in 0..<100 where !answered {
                answered = (try? await call(client)) != nil
                if !answered { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(answered, "a failed call asks for a new lookup, which finds the address")
        }
        await a.server.shutdown(gracePeriod: .seconds(1))
    }

    /// Through getaddrinfo: every address `localhost` has here gets a server on one port, and
    /// calls to `localhost:port` reach them all. (On a machine where `localhost` is only
    /// 127.0.0.1 this checks resolution and the connection, not the spread.)
    @Test func systemResolverBalancesOverTheAddressesOfLocalhost() async throws {
        let addresses = try await SystemResolver().resolve(host: "localhost", port: 0)
        #expect(!addresses.isEmpty)
        var replicas: [Replica] = []
        var port = 0
        for address in addresses {
            let probe = CancellationProbe()
            let server = RPCServer(router: EchoMethods.router(probe: probe), config: .init(host: address.ipAddress!, port: port))
            let bound = try await server.start()[0]
            port = bound.port!
            replicas.append(Replica(server: server, probe: probe, address: bound))
        }
        let transport = HTTP2ClientTransport(config: .init(host: "localhost", port: port))
        let client = RPCClient(transport: transport)
        try await callUntilAllAnswered(client, replicas)
        for _ in 0..<10 { try await call(client) }
        await transport.close()
        for replica in replicas {
            #expect(replica.probe.calls > 0, "\(replica.address) got calls")
            await replica.server.shutdown(gracePeriod: .seconds(1))
        }
    }
}
