#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-stream reads and writes on file descriptors 0, 1 and 2 (the C `stdout` globals are
/// not concurrency-safe in Swift 6).
enum StandardIO {
    static func readAll() -> [UInt8] {
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                input += chunk[..<count]
            } else if count == 0 || errno != EINTR {
                return input
            }
        }
    }

    static func writeOutput(_ bytes: [UInt8]) {
        writeAll(bytes, to: 1)
    }

    static func writeError(_ text: String) {
        writeAll(Array(text.utf8), to: 2)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if errno != EINTR {
                    return
                }
            }
        }
    }
}
