/// Checks and sorts a request's header fields as they arrive, one call per field (the nghttp2
/// `on_header` callback feeds it), then classifies the request.
///
/// It counts the header list size as SETTINGS_MAX_HEADER_LIST_SIZE does (name + value + 32 per
/// field); past the limit it stores nothing more, so an HPACK-amplified block cannot grow memory,
/// and the request ends with RESOURCE_EXHAUSTED.
///
/// ```swift
/// var validator = RequestHeaderValidator(config: .defaults)
/// _ = validator.add(name: ":method", value: "POST")
/// // … every field …
/// switch validator.classify() { case .call(let head): … }
/// ```
public struct RequestHeaderValidator: Sendable {
    /// Limits on a request's header block.
    public struct Config: Sendable, Hashable {
        /// The largest header list accepted, counted as name + value + 32 per field.
        public var maxHeaderListSize: Int

        /// Limits with the header list capped at `maxHeaderListSize` bytes.
        public init(maxHeaderListSize: Int) {
            self.maxHeaderListSize = maxHeaderListSize
        }

        /// 8 KiB of header list, as the server advertises in SETTINGS_MAX_HEADER_LIST_SIZE.
        public static var defaults: Config { Config(maxHeaderListSize: 8192) }
    }

    /// What became of one field.
    public enum FieldResult: Sendable, Hashable {
        /// Counted (and stored when it matters); keep feeding fields.
        case accepted
        /// The list is over the limit: the caller may stop the stream now.
        case headerListTooLarge
    }

    /// The limits this validator applies.
    public let config: Config
    /// The header list size counted so far.
    public private(set) var headerListSize = 0
    private var method: String?
    private var path: String?
    private var contentType: String?
    private var timeout: String?
    private var encoding: String?
    private var acceptEncoding: String?
    private var metadata = Metadata()
    private var malformed: String?
    private var tooLarge = false
    /// The metadata of the connection's previous request, and how many of its entries this
    /// request repeated, in order, so far (while `metadata` is still empty): a client sends the
    /// same fields on every call (`user-agent`, `authorization`), which then cost no Strings,
    /// and a request repeating all of them shares the previous one's storage.
    private let previous: Metadata
    private var repeated = 0

    /// A validator for one request's header block; use a new one per stream. `previous` is the
    /// metadata of the last request on the same connection, if any.
    public init(config: Config = .defaults, previous: Metadata = [:]) {
        self.config = config
        self.previous = previous
    }

    /// The mounted method the last `:path` named, when fields came with a router (the server's
    /// way: see `add(name:value:router:)`); nil otherwise.
    public private(set) var route: RPCRouter.Route?
    /// The request's `:method` and `content-type` as received, for the text of a non-gRPC answer.
    public var requestMethod: String? { method }
    public var requestContentType: String? { contentType }

    /// Adds one field. Names arrive lower-case from HTTP/2; an upper-case one is malformed.
    public mutating func add(name: String, value: String) -> FieldResult {
        add(name: name.utf8Span.span, value: value.utf8Span.span, router: nil)
    }

    /// Adds one field from its bytes, as HTTP/2 delivered them. Strings are made only for the
    /// values kept, and the usual ones (`POST`, `application/grpc`, a mounted `:path`, found
    /// in `router` without making a String) are shared constants: the fields of a plain call
    /// cost no allocation.
    public mutating func add(name: Span<UInt8>, value: Span<UInt8>, router: RPCRouter?) -> FieldResult {
        headerListSize += name.count + value.count + 32
        if tooLarge || headerListSize > config.maxHeaderListSize {
            tooLarge = true
            metadata = [:]
            return .headerListTooLarge
        }
        // The fields of every gRPC request first, without classifying.
        switch RequestFieldName(name) {
        case .method: method = value.matches("POST") ? "POST" : String(utf8: value)
        case .path:
            route = router?.route(forPath: value)
            path = route?.path ?? String(utf8: value)
        // nghttp2 checks a request's content-length against its DATA; it is never metadata.
        case .scheme, .authority, .contentLength: break
        case .contentType: contentType = value.matches("application/grpc") ? "application/grpc" : String(utf8: value)
        case .te: if !value.matches("trailers") { malformed = "te must be trailers" }
        case .timeout: timeout = String(utf8: value)
        case .encoding: encoding = String(utf8: value)
        case .acceptEncoding:
            let value = String(utf8: value)
            acceptEncoding = acceptEncoding.map { "\($0),\(value)" } ?? value
        case nil:
            if metadata.isEmpty, previous.entry(at: repeated, matches: name, value) {
                repeated += 1
            } else {
                classifyOther(name: String(utf8: name), value: value)
            }
        }
        return .accepted
    }

    private mutating func classifyOther(name: String, value: Span<UInt8>) {
        guard !name.isEmpty, !name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            malformed = "invalid header name"
            return
        }
        switch HeaderName.classify(name) {
        case .pseudo:
            malformed = "unknown pseudo-header \(name)"
        case .reserved:
            break
        case .connection:
            malformed = "connection-specific header \(name)"
        case .metadata:
            if repeated > 0 {
                // This request's metadata differs from the previous one's from here on.
                metadata = previous.prefix(repeated)
                repeated = 0
            }
            metadata.appendReceived(lowercasedName: name, value: String(utf8: value))
        }
    }

    /// Classifies the request once its header block is complete.
    public func classify() -> RequestClassification {
        if tooLarge {
            return .rpcError(
                RPCError(
                    code: .resourceExhausted,
                    message: "header list size \(headerListSize) exceeds the limit of \(config.maxHeaderListSize)"))
        }
        if malformed != nil { return .httpError(status: 400) }
        guard let path, path.hasPrefix("/") else { return .httpError(status: 400) }
        guard method == "POST" else { return .httpError(status: 405) }
        guard let contentType, RequestHeaderValidator.isGRPCContentType(contentType) else {
            return .httpError(status: 415)
        }
        var duration: Duration?
        if let timeout {
            guard let parsed = GRPCTimeout.parse(timeout) else {
                return .rpcError(RPCError(code: .internal, message: "malformed grpc-timeout '\(timeout)'"))
            }
            duration = parsed
        }
        if let encoding, encoding != "identity", CompressionAlgorithm(name: encoding) == nil {
            return .rpcError(
                RPCError(
                    code: .unimplemented,
                    message: "grpc-encoding '\(encoding)' is not supported; this server accepts \(CompressionAlgorithm.acceptEncodingHeader)"))
        }
        let accepted = acceptEncoding.map { CompressionAlgorithm.accepted(in: $0) } ?? []
        let metadata = repeated > 0 ? previous.prefix(repeated) : metadata
        return .call(RequestHead(path: path, timeout: duration, metadata: metadata, encoding: encoding, acceptedEncodings: accepted))
    }

    /// `application/grpc` or `application/grpc+proto`, optionally with `;parameters`. Other
    /// formats (`+json`, …) are refused: messages here are protobuf only, and decoding another
    /// format as protobuf would answer a JSON client with nonsense instead of 415.
    public static func isGRPCContentType(_ value: String) -> Bool {
        guard value.hasPrefix("application/grpc") else { return false }
        var rest = value.utf8.dropFirst("application/grpc".utf8.count)
        if rest.starts(with: "+proto".utf8) { rest = rest.dropFirst("+proto".utf8.count) }
        guard let next = rest.first else { return true }
        return next == UInt8(ascii: ";")
    }
}
