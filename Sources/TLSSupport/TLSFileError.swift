/// A certificate, key or CA file that cannot be used.
public struct TLSFileError: Error, CustomStringConvertible {
    /// The file (or `<in memory>`).
    public let path: String
    /// What is wrong with it.
    public let reason: String

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
