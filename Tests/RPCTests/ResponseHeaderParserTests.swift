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
}
