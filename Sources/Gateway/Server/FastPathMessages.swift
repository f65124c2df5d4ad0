import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// A request part as `RESTFastPathHandler` reads it, whichever codec produced it.
enum FastPathPart<Head> {
    case head(Head)
    case body(ByteBuffer)
    case end
}

/// The request and response parts one kind of connection speaks, as `RESTFastPathHandler`
/// needs them: NIO's own HTTP/1 parts on an HTTP/1.1 connection (`HTTP1Messages`), so a fast
/// request is never converted to HTTP types, and HTTP types on an HTTP/2 stream
/// (`HTTPTypesMessages`), which is what that codec speaks.
protocol FastPathMessages: SendableMetatype {
    associatedtype RequestPart
    associatedtype ResponsePart
    associatedtype RequestHead

    static func split(_ part: RequestPart) -> FastPathPart<RequestHead>
    /// The head as the fast path routes it; nil for a method it never serves.
    static func head(_ head: RequestHead) -> RESTFastPath.Head?
    static func isEnd(_ part: ResponsePart) -> Bool
    static func responseHead(_ answer: RESTFastPath.Answer) -> ResponsePart
    static func responseBody(_ body: ByteBuffer) -> ResponsePart
    static var responseEnd: ResponsePart { get }
}

/// NIO's HTTP/1 parts, in front of the HTTP-types codec.
enum HTTP1Messages: FastPathMessages {
    static func split(_ part: HTTPServerRequestPart) -> FastPathPart<HTTPRequestHead> {
        switch part {
        case .head(let head): .head(head)
        case .body(let body): .body(body)
        case .end: .end
        }
    }

    static func head(_ head: HTTPRequestHead) -> RESTFastPath.Head? {
        let method: HTTPRequest.Method
        switch head.method {
        case .GET: method = .get
        case .POST: method = .post
        default: return nil
        }
        return RESTFastPath.Head(method: method, target: head.uri, headers: .http1(head.headers))
    }

    static func isEnd(_ part: HTTPServerResponsePart) -> Bool {
        if case .end = part { true } else { false }
    }

    static func responseHead(_ answer: RESTFastPath.Answer) -> HTTPServerResponsePart {
        let status = HTTPResponseStatus(statusCode: answer.status.code, reasonPhrase: answer.status.reasonPhrase)
        return .head(HTTPResponseHead(version: .http1_1, status: status, headers: answer.headers))
    }

    static func responseBody(_ body: ByteBuffer) -> HTTPServerResponsePart {
        .body(.byteBuffer(body))
    }

    static var responseEnd: HTTPServerResponsePart { .end(nil) }
}

/// HTTP types, on an HTTP/2 stream.
enum HTTPTypesMessages: FastPathMessages {
    static func split(_ part: HTTPRequestPart) -> FastPathPart<HTTPRequest> {
        switch part {
        case .head(let head): .head(head)
        case .body(let body): .body(body)
        case .end: .end
        }
    }

    static func head(_ head: HTTPRequest) -> RESTFastPath.Head? {
        guard let target = head.path else { return nil }
        return RESTFastPath.Head(method: head.method, target: target, headers: .fields(head.headerFields))
    }

    static func isEnd(_ part: HTTPResponsePart) -> Bool {
        if case .end = part { true } else { false }
    }

    static func responseHead(_ answer: RESTFastPath.Answer) -> HTTPResponsePart {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return .head(HTTPResponse(status: answer.status, headerFields: fields))
    }

    static func responseBody(_ body: ByteBuffer) -> HTTPResponsePart {
        .body(body)
    }

    static var responseEnd: HTTPResponsePart { .end(nil) }
}
