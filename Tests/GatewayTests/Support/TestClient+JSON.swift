import HTTPTypes
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    /// Sends a request with a JSON body (`Content-Type: application/json`).
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

/// A valid create body.
let createBody = #"{"customerId":"c-1","items":[{"sku":"apple","quantity":2,"unitPriceCents":"150"}],"currency":"EUR","paymentToken":"tok_approve"}"#
