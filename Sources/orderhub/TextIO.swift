#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whole lines to standard output or standard error with one `write(2)` each, so lines from
/// different threads never interleave (and no shared `FILE*` is touched).
enum Console {
    static func out(_ text: String) { write(all: text, to: 1) }
    static func error(_ text: String) { write(all: text, to: 2) }

    private static func write(all text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// Small file helpers for settings and data directories.
enum TextFile {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates the directory that will hold `path`.
    static func createParent(of path: String) throws {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        guard !directory.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    static func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `path` with permission bits `mode`, set before any byte is written (a
    /// private key is never readable by others, not even for a moment), replacing the file.
    static func write(_ text: String, to path: String, mode: mode_t) throws {
        // A file left by an earlier run keeps its permissions through O_TRUNC: start afresh.
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw SettingError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // The umask may have taken bits away; the mode asked for is the mode meant.
        fchmod(descriptor, mode)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw SettingError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
    }
}
