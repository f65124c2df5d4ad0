/// Limits shared by the validation rules.
enum OrderValidation {
    /// Ids, SKUs, tokens and keys are at most this many UTF-8 bytes.
    static let maxIDBytes = 64
    static let maxItems = 100

    /// A required id: 1–64 bytes, no control characters.
    static func checkID(_ value: String, field: String) throws(OrderError) {
        guard !value.isEmpty else { throw .invalidArgument(field: field, problem: "is required") }
        let count = value.utf8.count
        guard count <= maxIDBytes else {
            throw .invalidArgument(field: field, problem: "must be at most \(maxIDBytes) bytes, got \(count)")
        }
        // A NUL would be cut off on the way through C strings, and control characters in ids
        // and SKUs are never meant: refuse them rather than store something else.
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument(field: field, problem: "must not contain control characters (U+0000–U+001F, U+007F–U+009F)")
        }
    }
}
