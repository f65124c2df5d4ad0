/// Collects a response's header fields on the client, one call per field, for one header
/// block (the response headers, the trailers, or a Trailers-Only block).
public struct ResponseHeaderParser: Sendable {
    private var httpStatus: Int?
    private var contentType: String?
    private var grpcStatus: String?
    private var grpcMessage: String?
    /// The response's `grpc-encoding`: what compressed response messages use.
    public private(set) var encoding: String?
    /// The custom metadata of the block.
    public private(set) var metadata = Metadata()

    /// A parser for one header block; use a new one per block.
    public init() {}

    /// Adds one field of the block.
    public mutating func add(name: String, value: String) {
        switch HeaderName.classify(name) {
        case .pseudo:
            if name == ":status" { httpStatus = Int(value) }
        case .reserved:
            switch name {
            case "content-type": contentType = value
            case "grpc-status": grpcStatus = value
            case "grpc-message": grpcMessage = value
            case "grpc-encoding": encoding = value
            default: break
            }
        case .connection:
            break
        case .metadata:
            metadata.addReceivedField(name: name, value: value)
        }
    }

    /// Adds one field as nghttp2 delivers it: the fields every response carries (`:status`,
    /// `content-type`, `grpc-status: 0`, `grpc-accept-encoding`) are read from their bytes and
    /// make no String; custom metadata and the rare fields go through `add(name:value:)`.
    public mutating func add(nameBytes name: Span<UInt8>, valueBytes value: Span<UInt8>) {
        switch name.count {
        case 7 where name.matches(":status"):
            httpStatus = Self.integer(value)
            return
        case 11 where name.matches("grpc-status") && value.matches("0"):
            grpcStatus = "0"
            return
        case 12 where name.matches("content-type") && value.matches("application/grpc"):
            contentType = "application/grpc"
            return
        case 20 where name.matches("grpc-accept-encoding"):
            return
        default:
            add(name: String(utf8: name), value: String(utf8: value))
        }
    }

    /// A `:status` value's number: three digits read in place, anything else as `Int` reads it.
    private static func integer(_ bytes: Span<UInt8>) -> Int? {
        guard bytes.count == 3 else { return Int(String(utf8: bytes)) }
        var value = 0
        for index in bytes.indices {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return Int(String(utf8: bytes)) }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether the block carries `grpc-status` (trailers, or a Trailers-Only response).
    public var hasStatus: Bool { grpcStatus != nil }

    /// Checks the first header block. nil when the call goes on; an error when the response
    /// is not a gRPC response (the HTTP status mapped as gRPC clients map it).
    public func responseHeadError() -> RPCError? {
        guard let httpStatus else { return RPCError(code: .internal, message: "response without :status") }
        guard httpStatus == 200 else {
            return RPCError(
                code: ResponseHeaderParser.code(forHTTPStatus: httpStatus),
                message: "HTTP status \(httpStatus) from the server")
        }
        guard let contentType, RequestHeaderValidator.isGRPCContentType(contentType) else {
            return RPCError(code: .unknown, message: "response content-type is \(contentType.map { "'\($0)'" } ?? "absent")")
        }
        return nil
    }

    /// The call's outcome from a block with `grpc-status`: nil for OK, else the error with its
    /// decoded message and this block's metadata.
    public func statusError() -> RPCError? {
        guard let grpcStatus else {
            return RPCError(code: .internal, message: "trailers without grpc-status", metadata: metadata)
        }
        let code = StatusCode(grpcStatus: Substring(grpcStatus))
        guard code != .ok else { return nil }
        return RPCError(code: code, message: grpcMessage.map { PercentEncoding.decode($0) } ?? "", metadata: metadata)
    }

    /// The gRPC code for a non-200 HTTP status (gRPC doc/http-grpc-status-mapping.md).
    public static func code(forHTTPStatus status: Int) -> StatusCode {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }
}
