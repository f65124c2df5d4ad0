/// Limits shared by the validation rules.
enum OrderValidation {
    /// Ids, SKUs, tokens and keys are at most this many UTF-8 bytes.
    static let maxIDBytes = 64
    static let maxItems = 100

    /// A required id: 1–64 bytes.
    static func checkID(_ value: String, field: String) throws(OrderError) {
        guard !value.isEmpty else { throw .invalidArgument(field: field, problem: "is required") }
        let count = value.utf8.count
        guard count <= maxIDBytes else {
            throw .invalidArgument(field: field, problem: "must be at most \(maxIDBytes) bytes, got \(count)")
        }
    }
}
