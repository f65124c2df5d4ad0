import Testing
@testable import RPC

@Suite struct MetadataHeadersTests {
    @Test func binaryValuesAreBase64AndReservedKeysDropped() {
        var metadata: Metadata = ["x-a": "1", "grpc-status": "0", ":path": "/x", "content-type": "text/plain"]
        metadata.add("x-b-bin", .binary([0xFF]))
        metadata.add("x-c-bin", .string("text under a binary key"))
        let fields = metadata.headerFields
        #expect(fields.map(\.name) == ["x-a", "x-b-bin"])
        #expect(fields.map(\.value) == ["1", "/w"])
    }

    @Test func receivedBinaryIsDecodedAndBadBase64Dropped() {
        var metadata = Metadata()
        let kept = metadata.addReceivedField(name: "x-bin", value: "AQI=")
        let dropped = metadata.addReceivedField(name: "y-bin", value: "!!")
        #expect(kept)
        #expect(!dropped)
        #expect(metadata.binary("x-bin") == [1, 2])
        #expect(metadata.count == 1)
    }

    @Test func keysMatchInAnyCase() {
        var metadata = Metadata()
        metadata.add("X-Request-ID", "abc")
        metadata.add("trace-BIN", .binary([7]))
        metadata.add("Ä-key", "umlaut")
        #expect(metadata.map(\.key) == ["x-request-id", "trace-bin", "ä-key"])
        #expect(metadata["x-request-id"] == "abc")
        #expect(metadata["X-REQUEST-ID"] == "abc")
        #expect(metadata.binary("Trace-Bin") == [7])
        #expect(metadata["Ä-KEY"] == "umlaut")
        metadata.removeAll("X-Request-Id")
        #expect(metadata["x-request-id"] == nil)
        #expect(metadata.count == 2)
    }
}
