import Contracts
import Foundation
import HTTPTypes
@testable import Gateway
import NIOCore
import NIOHTTP1
import RPC
import Testing

/// `GET /v1/orders/{id}` builds its `GetOrderRequest` straight from the captured id
/// (`RESTUnaryCall.isPathOnly`, generated into the binding); the message must be the one the
/// JSON route (captures → JSON object → `init(json:)`) makes, for any id a path can carry.
@Suite("Request messages straight from the path")
struct PathOnlyBindingTests {
    static let gateway = OrdersGateway(config: .testing, transport: InProcessTransport(services: []))

    static let ids = [
        "01a24d64-cc74-7971-b7e8-78c5c494ef32", "x", "café", "ü/ß", "a b", "100%", "a+b", "✓", "🧾 order", "quote\"back\\slash",
        "tab\there", "\u{2028}", "semi;colon", "amp&eq=", "tilde~dot.", "ﬁ", "e\u{301}", String(repeating: "long-", count: 200),
    ]

    static func call(target: String, method: HTTPRequest.Method = .get) throws -> RESTUnaryCall? {
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        guard let (binding, captures) = RESTContract.binding(for: method, path: path) else { return nil }
        return try RESTUnaryCall(
            binding: binding, captures: captures, headers: .http1(HTTPHeaders()), target: target, body: ByteBuffer(), gateway: gateway)
    }

    @Test("the captured id makes the same GetOrderRequest as the JSON route, escaped or not")
    func sameMessage() throws {
        var checked = 0
        for id in Self.ids {
            let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            // Plain ids are matched on the path's bytes, escaped ones through `RequestPath`.
            for target in Set(["/v1/orders/\(escaped)", "/v1/orders/\(escaped.replacingOccurrences(of: "%2D", with: "-"))"]) {
                let call = try #require(try Self.call(target: target), "no route for \(target)")
                #expect(call.isPathOnly)
                let direct = GetOrderRequest(id: call.captures[0].value)
                #expect(direct == (try GetOrderRequest(json: call.json, options: call.jsonOptions)))
                #expect(direct.id == id)
                checked += 1
            }
        }
        #expect(checked >= Self.ids.count)
    }

    @Test("a query, or a body, keeps the JSON route")
    func notPathOnly() throws {
        let queried = try #require(try Self.call(target: "/v1/orders/abc?id=abc"))
        #expect(!queried.isPathOnly)
        #expect(try GetOrderRequest(json: queried.json, options: queried.jsonOptions).id == "abc")
        let contradicted = try #require(try Self.call(target: "/v1/orders/abc?id=other"))
        #expect(throws: GatewayError.self) { try contradicted.json }
        let cancel = try #require(try Self.call(target: "/v1/orders/abc:cancel", method: .post))
        #expect(!cancel.isPathOnly)
        #expect(try CancelOrderRequest(json: cancel.json, options: cancel.jsonOptions).id == "abc")
    }
}
