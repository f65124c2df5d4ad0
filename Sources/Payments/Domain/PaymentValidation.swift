/// Shared input limits.
enum PaymentValidation {
    static let maxIDBytes = 64

    static func checkID(_ value: String, field: String, required: Bool) throws(PaymentError) {
        if value.isEmpty {
            guard !required else { throw .invalidArgument(field: field, problem: "is required") }
            return
        }
        let count = value.utf8.count
        guard count <= maxIDBytes else {
            throw .invalidArgument(field: field, problem: "must be at most \(maxIDBytes) bytes, got \(count)")
        }
    }
}
