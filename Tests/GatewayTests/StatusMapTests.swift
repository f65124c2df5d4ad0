@testable import Gateway
import HTTPTypes
import RPC
import Testing

@Suite("gRPC status → HTTP status")
struct StatusMapTests {
    /// grpc-gateway's `HTTPStatusFromCode`, written out independently of the code under test.
    static let expected: [(StatusCode, Int)] = [
        (.cancelled, 499), (.unknown, 500), (.invalidArgument, 400), (.deadlineExceeded, 504),
        (.notFound, 404), (.alreadyExists, 409), (.permissionDenied, 403), (.resourceExhausted, 429),
        (.failedPrecondition, 400), (.aborted, 409), (.outOfRange, 400), (.unimplemented, 501),
        (.internal, 500), (.unavailable, 503), (.dataLoss, 500), (.unauthenticated, 401),
    ]

    @Test("an RPC failing with each code answers the mapped HTTP status and the code", arguments: expected)
    func mapped(code: StatusCode, http: Int) async throws {
        try await GatewayFixture().withRouter { client in
            let body = #"{"customerId":"fail:\#(code.rawValue)","items":[{"sku":"a","quantity":1}]}"#
            let response = try await client.send(.post, "/v1/orders", json: body)
            #expect(response.status.code == http)
            let error = try response.errorBody()
            #expect(error.code == code.rawValue)
            #expect(error.message == "asked to fail with \(code.name)")
            if code == .unauthenticated { #expect(response.headers[.wwwAuthenticate] != nil) }
        }
    }

    @Test("the table covers every code but OK")
    func complete() {
        #expect(Set(Self.expected.map(\.0)) == Set(StatusCode.allCases).subtracting([.ok]))
        #expect(StatusCode.ok.httpStatus == .ok)
    }

    @Test("an RPC slower than the deadline is 504 DEADLINE_EXCEEDED")
    func deadlineExceeded() async throws {
        var config = OrdersGateway.Config.testing
        config.rpcTimeout = .milliseconds(1)
        let fixture = GatewayFixture(config: config)
        fixture.orders.delay.withLock { $0 = .seconds(5) }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/v1/orders/x")
            #expect(response.status == .gatewayTimeout)
            #expect(try response.errorBody().code == 4)
        }
    }
}
