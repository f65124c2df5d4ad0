#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
}
