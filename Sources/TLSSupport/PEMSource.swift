import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Where PEM text comes from: a file (read again on every reload) or bytes already in memory
/// (tests, certificates made at run time).
public enum PEMSource: Sendable, Hashable {
    /// A PEM file, read whenever a context is built.
    case file(String)
    /// PEM text held in memory.
    case bytes([UInt8])

    /// The file path, when there is one: what a reload watches.
    public var path: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// The raw bytes, read now.
    public func read() throws -> [UInt8] {
        switch self {
        case .bytes(let bytes): return bytes
        case .file(let path): return try PEMSource.readFile(path)
        }
    }

    /// Every certificate in the text, in order (a chain starts with its leaf).
    public func certificates() throws -> [NIOSSLCertificate] {
        let certificates = try NIOSSLCertificate.fromPEMBytes(read())
        guard !certificates.isEmpty else { throw TLSFileError(path: describe, reason: "holds no PEM certificate") }
        return certificates
    }

    /// The one private key in the text.
    public func privateKey() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: read(), format: .pem)
    }

    var describe: String { path ?? "<in memory>" }

    /// Whole-file read with the C library: small files, and no Foundation in the transport.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw TLSFileError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count { break }
            // A certificate file is a few KiB; refuse anything absurd rather than fill memory.
            guard bytes.count <= 1 << 20 else { throw TLSFileError(path: path, reason: "larger than 1 MiB") }
        }
        guard ferror(file) == 0 else { throw TLSFileError(path: path, reason: "read failed") }
        return bytes
    }
}

/// A certificate, key or CA file that cannot be used.
public struct TLSFileError: Error, CustomStringConvertible {
    /// The file (or `<in memory>`).
    public let path: String
    /// What is wrong with it.
    public let reason: String

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
