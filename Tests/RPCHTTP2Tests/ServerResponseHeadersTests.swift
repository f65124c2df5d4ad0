@testable import RPCHTTP2
import Testing

/// The text of the answers to requests that are not gRPC.
@Suite struct ServerResponseHeadersTests {
    @Test func bodiesSayWhatWasWrong() {
        #expect(
            ServerResponseHeaders.httpBody(status: 405, method: "GET", contentType: nil)
                == "method GET is not allowed; gRPC uses POST\n")
        #expect(
            ServerResponseHeaders.httpBody(status: 415, method: "POST", contentType: "text/plain")
                == "unsupported content type: text/plain; gRPC uses application/grpc\n")
        #expect(
            ServerResponseHeaders.httpBody(status: 415, method: "POST", contentType: nil)
                == "unsupported content type: (none); gRPC uses application/grpc\n")
        #expect(!ServerResponseHeaders.httpBody(status: 400, method: "POST", contentType: "application/grpc").isEmpty)
    }

    /// A peer's value is echoed, cut at 64 characters, so an 8 KiB header cannot make a large body.
    @Test func echoedValuesAreCutShort() {
        let body = ServerResponseHeaders.httpBody(status: 415, method: "POST", contentType: String(repeating: "x", count: 5000))
        #expect(body == "unsupported content type: \(String(repeating: "x", count: 64))…; gRPC uses application/grpc\n")
    }
}
