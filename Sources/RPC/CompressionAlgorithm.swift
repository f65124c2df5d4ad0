/// A message compression algorithm named in `grpc-encoding` and `grpc-accept-encoding`
/// (grpc/grpc doc/compression.md). `identity` (no compression) is the absence of one.
///
/// ```swift
/// CompressionAlgorithm(name: "gzip")                        // .gzip
/// CompressionAlgorithm.accepted(in: "identity, deflate")     // [.deflate]
/// ```
public enum CompressionAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// RFC 1952 gzip: a zlib deflate stream in a gzip wrapper.
    case gzip
    /// RFC 1950 zlib: a deflate stream in a zlib wrapper (what gRPC calls `deflate`).
    case deflate

    /// The name on the wire.
    public var name: String { rawValue }

    /// The algorithm with this wire name; nil for `identity` and for names we do not support.
    public init?(name: some StringProtocol) {
        self.init(rawValue: String(name))
    }

    /// The `grpc-accept-encoding` both our servers and our clients send: every supported
    /// algorithm, and identity.
    public static let acceptEncodingHeader = "identity, gzip, deflate"

    /// The supported algorithms listed in a `grpc-accept-encoding` value (comma-separated,
    /// spaces around names ignored; unknown names skipped).
    public static func accepted(in header: some StringProtocol) -> Set<CompressionAlgorithm> {
        var found = Set<CompressionAlgorithm>()
        for part in header.split(separator: ",") {
            let trimmed = part.drop(while: { $0 == " " || $0 == "\t" })
            let name = trimmed.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
            if let algorithm = CompressionAlgorithm(name: String(name)) { found.insert(algorithm) }
        }
        return found
    }
}
