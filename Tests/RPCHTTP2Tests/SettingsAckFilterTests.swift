@testable import RPCHTTP2
import Testing

/// Frame bytes for the filter tests.
private enum Wire {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        let length = payload.count
        return [
            UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
            UInt8(stream >> 24 & 0xFF), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF),
        ] + payload
    }

    static let settings = frame(type: 0x4, payload: [0, 3, 0, 0, 0, 100])
    static let ack = frame(type: 0x4, flags: 0x1)
    static let ping = frame(type: 0x6, payload: Array(repeating: 7, count: 8))
    static let headersEndHeaders = frame(type: 0x1, flags: 0x4 | 0x1, stream: 1, payload: [0x82, 0x86, 0x84])
    static let data = frame(type: 0x0, flags: 0x1, stream: 1, payload: Array(repeating: 0xAB, count: 40))
}

@Suite struct SettingsAckFilterTests {
    /// Feeds `chunks` one read at a time; returns everything passed on, and whether it completed.
    static func run(_ chunks: [[UInt8]], stopAfter stopCount: Int = .max) -> (output: [UInt8], finished: Bool) {
        var filter = SettingsAckFilter()
        var output: [UInt8] = []
        var deliveries = 0
        for chunk in chunks {
            let ok = chunk.withUnsafeBytes { bytes in
                filter.filter(bytes) { piece in
                    output += piece
                    deliveries += 1
                    return deliveries < stopCount
                }
            }
            if !ok { return (output, false) }
        }
        return (output, true)
    }

    /// Every way of cutting `stream` into two reads, and into reads of one byte.
    static func splits(_ stream: [UInt8]) -> [[[UInt8]]] {
        var all = (0...stream.count).map { [Array(stream[..<$0]), Array(stream[$0...])] }
        all.append(stream.map { [$0] })
        return all
    }

    @Test func passesAConnectionWithoutAcksUnchanged() {
        let stream = Wire.preface + Wire.settings + Wire.headersEndHeaders + Wire.data + Wire.ping
        for chunks in Self.splits(stream) {
            #expect(Self.run(chunks).output == stream)
        }
    }

    @Test func dropsAcksAfterTheFirstFrameWhereverTheReadsSplit() {
        let stream = Wire.preface + Wire.settings + Wire.ack + Wire.headersEndHeaders + Wire.ack + Wire.data + Wire.ack
        let expected = Wire.preface + Wire.settings + Wire.headersEndHeaders + Wire.data
        for chunks in Self.splits(stream) {
            #expect(Self.run(chunks).output == expected)
        }
    }

    @Test func dropsAnAckWhoseReservedStreamBitIsSet() {
        let ack = Wire.frame(type: 0x4, flags: 0x1, stream: 0x8000_0000)
        #expect(Self.run([Wire.preface + Wire.settings + ack + Wire.ping]).output == Wire.preface + Wire.settings + Wire.ping)
    }

    /// Where an ACK is a protocol error, nghttp2 must see it to reject it.
    @Test(arguments: [
        ("the first frame", Wire.preface + Wire.ack + Wire.settings),
        ("an ACK with a payload", Wire.preface + Wire.settings + Wire.frame(type: 0x4, flags: 0x1, payload: [0, 3, 0, 0, 0, 1])),
        ("an ACK on a stream", Wire.preface + Wire.settings + Wire.frame(type: 0x4, flags: 0x1, stream: 1)),
        ("SETTINGS without ACK", Wire.preface + Wire.settings + Wire.settings),
        (
            "inside a header block",
            Wire.preface + Wire.settings + Wire.frame(type: 0x1, stream: 1, payload: [0x82]) + Wire.ack
                + Wire.frame(type: 0x9, flags: 0x4, stream: 1, payload: [0x86])
        ),
    ])
    func passesAFrameThatIsNotADroppableAck(_ name: String, _ stream: [UInt8]) {
        for chunks in Self.splits(stream) {
            #expect(Self.run(chunks).output == stream, "\(name)")
        }
    }

    @Test func dropsAcksAgainOnceTheHeaderBlockEnds() {
        let open = Wire.frame(type: 0x1, stream: 1, payload: [0x82])
        let end = Wire.frame(type: 0x9, flags: 0x4, stream: 1, payload: [0x86])
        let stream = Wire.preface + Wire.settings + open + end + Wire.ack + Wire.ping
        #expect(Self.run([stream]).output == Wire.preface + Wire.settings + open + end + Wire.ping)
    }

    @Test func countsPayloadsSoAckLookingBytesInsideAFrameStay() {
        // A DATA payload that happens to contain the bytes of an ACK frame.
        let sneaky = Wire.frame(type: 0x0, stream: 1, payload: Wire.ack + Wire.ack)
        let stream = Wire.preface + Wire.settings + sneaky + Wire.ack
        for chunks in Self.splits(stream) {
            #expect(Self.run(chunks).output == Wire.preface + Wire.settings + sneaky)
        }
    }

    @Test func passesAGarbagePrefaceForNghttp2ToReject() {
        let garbage = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8) + Array(repeating: 0, count: 40)
        for chunks in Self.splits(garbage) {
            #expect(Self.run(chunks).output == garbage)
        }
    }

    @Test func stopsWhenTheReceiverFails() {
        let stream = Wire.preface + Wire.settings + Wire.ack + Wire.ping
        let result = Self.run([stream], stopAfter: 1)
        #expect(!result.finished)
        #expect(result.output == Wire.preface + Wire.settings, "nothing after the failed delivery")
    }
}
