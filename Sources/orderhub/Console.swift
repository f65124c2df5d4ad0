#if canImport(Glibc)
import Glibc
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
