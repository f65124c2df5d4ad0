import Testing
@testable import RPC

@Suite struct ResponseHeaderParserTests {
    private func parse(_ fields: [(String, String)]) -> ResponseHeaderParser {
        var parser = ResponseHeaderParser()
        for (name, value) in fields { parser.add(name: name, value: value) }
        return parser
    }

    @Test func okHeadersHaveNoError() {
        let parser = parse([(":status", "200"), ("content-type", "application/grpc"), ("x-a", "1")])
        #expect(parser.responseHeadError() == nil)
        #expect(!parser.hasStatus)
        #expect(parser.metadata["x-a"] == "1")
    }

    @Test(arguments: [(404, StatusCode.unimplemented), (503, .unavailable), (401, .unauthenticated), (500, .unknown), (400, .internal)])
    func httpStatusesMapToCodes(status: Int, code: StatusCode) {
        #expect(parse([(":status", "\(status)")]).responseHeadError()?.code == code)
    }

    @Test func trailersCarryStatusMessageAndMetadata() {
        let parser = parse([("grpc-status", "5"), ("grpc-message", "no%20such%20order"), ("x-t-bin", "AQ")])
        let error = parser.statusError()
        #expect(error?.code == .notFound)
        #expect(error?.message == "no such order")
        #expect(error?.metadata.binary("x-t-bin") == [1])
    }

    @Test func okStatusIsNoError() {
        #expect(parse([("grpc-status", "0")]).statusError() == nil)
    }

    @Test func missingStatusIsInternalAndUnknownCodeIsUnknown() {
        #expect(parse([]).statusError()?.code == .internal)
        #expect(parse([("grpc-status", "99")]).statusError()?.code == .unknown)
    }

    /// The same fields through `add(nameBytes:valueBytes:)`, as the client's nghttp2 callback gives them.
    private func parseBytes(_ fields: [(String, String)]) -> ResponseHeaderParser {
        var parser = ResponseHeaderParser()
        for (name, value) in fields {
            let nameBytes = Array(name.utf8)
            let valueBytes = Array(value.utf8)
            parser.add(nameBytes: nameBytes.span, valueBytes: valueBytes.span)
        }
        return parser
    }

    @Test(arguments: [
        [(":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", "identity, gzip"), ("x-a", "1")],
        [(":status", "200"), ("content-type", "application/grpc+proto"), ("grpc-encoding", "gzip")],
        [(":status", "200"), ("content-type", "text/html")],
        [(":status", "503")], [(":status", "20")], [(":status", "2x0")], [(":status", "+20")], [],
        [("grpc-status", "0"), ("x-t", "v")], [("grpc-status", "5"), ("grpc-message", "no%20such%20order"), ("x-t-bin", "AQ")],
        [("grpc-status", "00")], [("grpc-status", "99")],
    ])
    func bytesReadAsStrings(fields: [(String, String)]) {
        let strings = parse(fields)
        let bytes = parseBytes(fields)
        #expect(bytes.responseHeadError() == strings.responseHeadError())
        #expect(bytes.hasStatus == strings.hasStatus)
        #expect(bytes.statusError() == strings.statusError())
        #expect(bytes.encoding == strings.encoding)
        #expect(bytes.metadata == strings.metadata)
    }
}
