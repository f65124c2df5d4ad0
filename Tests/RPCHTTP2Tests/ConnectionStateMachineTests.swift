import RPC
import Testing
@testable import RPCHTTP2

@Suite struct ServerConnectionStateMachineTests {
    @Test func prefaceTimeoutClosesOnlyBeforeSettings() {
        var machine = ServerConnectionStateMachine(maxInFlightHandlers: 2)
        #expect(machine.prefaceTimedOut())
        machine.settingsReceived()
        #expect(!machine.prefaceTimedOut())
    }

    @Test func handlerCapCountsHandlersNotStreams() {
        var machine = ServerConnectionStateMachine(maxInFlightHandlers: 2)
        machine.streamOpened()
        machine.handlerStarted()
        machine.streamClosed()
        machine.handlerStarted()
        #expect(machine.atHandlerCapacity, "a reset stream's handler still counts")
        machine.handlerFinished()
        #expect(!machine.atHandlerCapacity)
    }

    @Test func drainClosesWhenStreamsAreDone() {
        var machine = ServerConnectionStateMachine(maxInFlightHandlers: 2)
        machine.settingsReceived()
        machine.streamOpened()
        let result1 = machine.beginDrain()
        #expect(result1)
        let result2 = machine.beginDrain()
        #expect(!result2, "GOAWAY goes out once")
        #expect(!machine.shouldClose)
        machine.streamClosed()
        #expect(machine.shouldClose)
    }

    @Test func idleTimer() {
        let machine = ServerConnectionStateMachine(maxInFlightHandlers: 2)
        #expect(machine.idleTimerFired(idleFor: .seconds(300), timeout: .seconds(300)) == .drain)
        #expect(machine.idleTimerFired(idleFor: .seconds(100), timeout: .seconds(300)) == .recheck(after: .seconds(200)))
        #expect(machine.idleTimerFired(idleFor: nil, timeout: .seconds(300)) == .none)
    }
}

@Suite struct ClientConnectionStateMachineTests {
    private typealias Machine = ClientConnectionStateMachine<Int>
    private let backoff = Machine.Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(3), jitter: 0)
    private let refused = RPCError(code: .unavailable, message: "refused")

    @Test func firstCallConnectsOthersWait() {
        var machine = Machine(backoff: backoff)
        let now = ContinuousClock.now
        guard case .connect = machine.callRequested(now: now) else { Issue.record("did not connect"); return }
        guard case .wait = machine.callRequested(now: now) else { Issue.record("did not wait"); return }
        machine.connected(7)
        guard case .use(7) = machine.callRequested(now: now) else { Issue.record("did not use"); return }
    }

    @Test func failsFastDuringBackoffThenRetries() {
        var machine = Machine(backoff: backoff)
        let now = ContinuousClock.now
        _ = machine.callRequested(now: now)
        #expect(machine.connectFailed(refused, now: now, random: 0) == .seconds(1))
        guard case .fail(let error) = machine.callRequested(now: now + .milliseconds(500)) else { Issue.record("did not fail fast"); return }
        #expect(error.code == .unavailable)
        guard case .connect = machine.callRequested(now: now + .seconds(1)) else { Issue.record("did not retry"); return }
        #expect(machine.connectFailed(refused, now: now, random: 0) == .seconds(2))
        _ = machine.callRequested(now: now + .seconds(5))
        #expect(machine.connectFailed(refused, now: now, random: 0) == .seconds(3), "capped at the maximum")
        _ = machine.callRequested(now: now + .seconds(10))
        machine.connected(1)
        _ = machine.callRequested(now: now + .seconds(10))
        machine.connectionUnusable { $0 == 1 }
        _ = machine.callRequested(now: now + .seconds(10))
        #expect(machine.connectFailed(refused, now: now, random: 0) == .seconds(1), "a success resets the backoff")
    }

    @Test func goawayOnAnOldConnectionDoesNotDropTheNewOne() {
        var machine = Machine(backoff: backoff)
        _ = machine.callRequested(now: .now)
        machine.connected(2)
        machine.connectionUnusable { $0 == 1 }
        guard case .use(2) = machine.callRequested(now: .now) else { Issue.record("lost the current connection"); return }
        machine.connectionUnusable { $0 == 2 }
        guard case .connect = machine.callRequested(now: .now) else { Issue.record("did not reconnect after GOAWAY"); return }
    }
}
