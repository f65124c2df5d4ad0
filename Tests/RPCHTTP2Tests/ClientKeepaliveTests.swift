import NIOCore
import Testing

@testable import RPCHTTP2

/// When a client connection pings and when it gives up, without a socket.
@Suite struct ClientKeepaliveTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func make(withoutCalls: Bool = false) -> ClientKeepalive {
        ClientKeepalive(.init(time: .seconds(10), timeout: .seconds(5), withoutCalls: withoutCalls), now: start)!
    }

    @Test func disabledSendsNothing() {
        #expect(ClientKeepalive(.disabled, now: Self.start) == nil)
    }

    @Test func pingsAfterQuietWithCallsOpenAndDeclaresDeadWithoutAck() {
        var keepalive = Self.make()
        #expect(keepalive.timerFired(at: Self.start + .seconds(4), hasOpenCalls: true) == .wait(.seconds(6)))
        #expect(keepalive.timerFired(at: Self.start + .seconds(10), hasOpenCalls: true) == .ping(deadlineIn: .seconds(5)))
        // Data that is not the ACK does not save the connection: the PING is what was asked.
        keepalive.received(at: Self.start + .seconds(11))
        #expect(keepalive.timerFired(at: Self.start + .seconds(12), hasOpenCalls: true) == .wait(.seconds(3)))
        #expect(keepalive.timerFired(at: Self.start + .seconds(15), hasOpenCalls: true) == .dead)
    }

    @Test func ackStartsTheQuietPeriodOver() {
        var keepalive = Self.make()
        #expect(keepalive.timerFired(at: Self.start + .seconds(10), hasOpenCalls: true) == .ping(deadlineIn: .seconds(5)))
        #expect(keepalive.pingAcknowledged(at: Self.start + .seconds(11)) == .seconds(10))
        #expect(keepalive.pingAcknowledged(at: Self.start + .seconds(12)) == nil, "an ACK of nothing sent is ignored")
        #expect(keepalive.timerFired(at: Self.start + .seconds(15), hasOpenCalls: true) == .wait(.seconds(6)))
        #expect(keepalive.timerFired(at: Self.start + .seconds(21), hasOpenCalls: true) == .ping(deadlineIn: .seconds(5)))
    }

    @Test func receivedBytesPostponeThePing() {
        var keepalive = Self.make()
        keepalive.received(at: Self.start + .seconds(8))
        #expect(keepalive.timerFired(at: Self.start + .seconds(10), hasOpenCalls: true) == .wait(.seconds(8)))
    }

    @Test func idleConnectionIsPingedOnlyWhenAllowed() {
        var quiet = Self.make()
        #expect(quiet.timerFired(at: Self.start + .seconds(10), hasOpenCalls: false) == .wait(.seconds(10)))
        #expect(quiet.timerFired(at: Self.start + .seconds(20), hasOpenCalls: true) == .ping(deadlineIn: .seconds(5)))
        var eager = Self.make(withoutCalls: true)
        #expect(eager.timerFired(at: Self.start + .seconds(10), hasOpenCalls: false) == .ping(deadlineIn: .seconds(5)))
    }
}
