import RPC
import Testing
@testable import RPCHTTP2

@Suite struct ServerStreamStateMachineTests {
    private let call = RequestClassification.call(RequestHead(path: "/a.B/C"))

    @Test func unaryWaitsForTheWholeRequestThenRuns() {
        var machine = ServerStreamStateMachine()
        #expect(machine.headersReceived(call, isUnary: true, atCapacity: false, endStream: false) == .awaitRequest)
        #expect(machine.requestEnded(unaryMessages: 1) == .startUnary)
        machine.handlerStarted()
        #expect(machine.sendMessage() == .sendHeadersAndMessage)
        #expect(machine.finish() == .trailers)
        #expect(!machine.needsResetAfterResponse(), "the client already ended its side")
    }

    @Test(arguments: [0, 2])
    func unaryWithoutExactlyOneMessageFails(count: Int) {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: true, atCapacity: false, endStream: false)
        guard case .failUnary(let error) = machine.requestEnded(unaryMessages: count) else {
            Issue.record("accepted \(count) messages"); return
        }
        #expect(error.code == .unimplemented)
        #expect(machine.phase == .responded)
    }

    @Test func streamingStartsAtOnceAndFinishesRequests() {
        var machine = ServerStreamStateMachine()
        #expect(machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false) == .startHandler)
        #expect(machine.requestEnded(unaryMessages: 0) == .finishRequests)
    }

    @Test func unknownMethodIsUnimplementedTrailersOnly() {
        var machine = ServerStreamStateMachine()
        guard case .trailersOnly(let error) = machine.headersReceived(call, isUnary: nil, atCapacity: false, endStream: true) else {
            Issue.record("routed an unknown method"); return
        }
        #expect(error.code == .unimplemented)
    }

    @Test func httpErrorsAndRejectionsPassThrough() {
        var machine = ServerStreamStateMachine()
        #expect(machine.headersReceived(.httpError(status: 415), isUnary: nil, atCapacity: false, endStream: false) == .respondHTTP(status: 415))
        #expect(machine.needsResetAfterResponse(), "the client is still sending: RST_STREAM(NO_ERROR) follows")
        var refused = ServerStreamStateMachine()
        #expect(refused.headersReceived(call, isUnary: true, atCapacity: true, endStream: true) == .refuse)
    }

    @Test func errorBeforeAnyMessageIsTrailersOnly() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        #expect(machine.finish() == .trailersOnly)
        #expect(machine.finish() == .none, "a call ends once")
        #expect(machine.sendMessage() == .fail)
    }

    @Test func initialMetadataSendsHeadersOnce() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        let result1 = machine.sendInitialMetadata()
        #expect(result1)
        let result2 = machine.sendInitialMetadata()
        #expect(!result2)
        #expect(machine.sendMessage() == .sendMessage)
    }

    @Test func deadlineBeforeHeadersIsTrailersOnlyThenReset() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        #expect(machine.deadlineExpired(trailersCanGo: false) == .trailersOnlyAndReset, "HEADERS are not flow-controlled")
        #expect(machine.deadlineExpired(trailersCanGo: true) == .none)
        #expect(machine.finish() == .none, "the handler's late result is dropped")
    }

    @Test func deadlineAfterHeadersSendsTrailersThenReset() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        _ = machine.sendMessage()
        #expect(machine.deadlineExpired(trailersCanGo: true) == .trailersAndReset)
        #expect(machine.deadlineExpired(trailersCanGo: true) == .none)
        #expect(machine.finish() == .none, "the cancelled handler's result is dropped")
        #expect(machine.sendMessage() == .fail)
    }

    @Test func deadlineAfterHeadersWithAClosedWindowIsAReset() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        let headersDue = machine.sendInitialMetadata()
        #expect(headersDue)
        #expect(machine.deadlineExpired(trailersCanGo: false) == .reset)
    }

    @Test func deadlineAfterTheResponseDoesNothing() {
        var machine = ServerStreamStateMachine()
        _ = machine.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        _ = machine.sendMessage()
        #expect(machine.finish() == .trailers)
        #expect(machine.deadlineExpired(trailersCanGo: true) == .none)
    }

    @Test func closingCancelsOnlyARunningHandler() {
        var idle = ServerStreamStateMachine()
        _ = idle.headersReceived(call, isUnary: true, atCapacity: false, endStream: false)
        let result3 = idle.streamClosed()
        #expect(!result3)
        var running = ServerStreamStateMachine()
        _ = running.headersReceived(call, isUnary: false, atCapacity: false, endStream: false)
        running.handlerStarted()
        let result4 = running.streamClosed()
        #expect(result4)
        #expect(running.sendMessage() == .fail)
    }
}
