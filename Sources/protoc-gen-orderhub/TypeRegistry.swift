/// Every message and enum protoc sent, by fully qualified name, with the Swift name each gets.
///
/// Types declared in files protoc did not ask to generate (imports such as
/// `google/api/annotations.proto`) are known but cannot be used by generated code: the module
/// has no Swift for them.
struct TypeRegistry {
    /// What a fully qualified name stands for.
    enum Declaration {
        case message(ProtoMessage)
        case enumeration(ProtoEnum)
    }

    /// One registered type.
    struct Entry {
        var declaration: Declaration
        /// The Swift type, nested types joined with dots: `HealthCheckResponse.ServingStatus`.
        var swiftName: String
        /// The `.proto` file that declares it.
        var file: String
        var isGenerated: Bool
    }

    private var entries: [String: Entry] = [:]

    init(files: [ProtoFile], generating: Set<String>) {
        for file in files {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            let isGenerated = generating.contains(file.name)
            func register(_ message: ProtoMessage) {
                entries[message.fullName] = Entry(
                    declaration: .message(message), swiftName: String(message.fullName.dropFirst(prefix.count)),
                    file: file.name, isGenerated: isGenerated)
                message.messages.forEach(register)
                for nested in message.enums {
                    entries[nested.fullName] = Entry(
                        declaration: .enumeration(nested), swiftName: String(nested.fullName.dropFirst(prefix.count)),
                        file: file.name, isGenerated: isGenerated)
                }
            }
            file.messages.forEach(register)
            for enumeration in file.enums {
                entries[enumeration.fullName] = Entry(
                    declaration: .enumeration(enumeration), swiftName: enumeration.name,
                    file: file.name, isGenerated: isGenerated)
            }
        }
    }

    /// The entry for a type name as protoc writes it in fields and methods (`.orderhub.v1.Order`).
    func entry(_ typeName: String) -> Entry? {
        entries[typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName]
    }

    /// The entry for a type the generated code uses; a clear error when the module will not have it.
    func generatedEntry(_ typeName: String, usedBy user: String) throws -> Entry {
        guard let entry = entry(typeName) else {
            throw GeneratorError("\(user) uses \(typeName), which protoc did not describe")
        }
        guard entry.isGenerated else {
            throw GeneratorError(
                "\(user) uses \(typeName) from \(entry.file), which is not generated into this module: "
                    + "pass that file to the same protoc run")
        }
        return entry
    }

    /// The message a method or field names, or an error when the name is an enum or unknown.
    func message(_ typeName: String, usedBy user: String) throws -> (message: ProtoMessage, entry: Entry) {
        let entry = try generatedEntry(typeName, usedBy: user)
        guard case .message(let message) = entry.declaration else {
            throw GeneratorError("\(user) expects a message, but \(typeName) is an enum")
        }
        return (message, entry)
    }
}
