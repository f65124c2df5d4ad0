/// Writes the Swift declaration of a message: a `Sendable`, `Hashable` struct with a memberwise
/// initializer whose every parameter defaults to the proto3 default.
struct MessageEmitter {
    var registry: TypeRegistry

    /// The struct, then an extension with its nested declarations (oneof enums, enums, messages).
    func emit(_ message: ProtoMessage, into writer: inout CodeWriter) throws {
        let layout = try MessageLayout(message, registry: registry)
        emitStruct(layout, into: &writer)
        try emitNested(layout, into: &writer)
    }

    private func emitStruct(_ layout: MessageLayout, into writer: inout CodeWriter) {
        writer.doc(layout.message.comment, fallback: "The `\(layout.message.fullName)` message.")
        writer.block("public struct \(layout.localName): Sendable, Hashable") { writer in
            for field in layout.fields {
                writer.doc(field.field.comment, fallback: "`\(field.field.name)` (field \(field.field.number)).")
                writer.line("public var \(field.swiftName): \(field.swiftType)")
            }
            for oneof in layout.oneofs {
                writer.doc(nil, fallback: "The `\(oneof.protoName)` oneof: nil when none of its fields is set.")
                writer.line("public var \(oneof.propertyName): \(oneof.typeName)?")
            }
            if !layout.fields.isEmpty || !layout.oneofs.isEmpty { writer.line() }
            emitInitializer(layout, into: &writer)
        }
    }

    private func emitInitializer(_ layout: MessageLayout, into writer: inout CodeWriter) {
        let parameters =
            layout.fields.map { "\($0.swiftName): \($0.swiftType) = \($0.defaultValue)" }
            + layout.oneofs.map { "\($0.propertyName): \($0.typeName)? = nil" }
        writer.doc(nil, fallback: "Every field defaults to its proto3 default.")
        let names = layout.fields.map(\.swiftName) + layout.oneofs.map(\.propertyName)
        let header = parameters.joined(separator: ", ")
        let signature =
            header.count > 80
            ? "public init(\n" + parameters.map { "        " + $0 }.joined(separator: ",\n") + "\n    )"
            : "public init(\(header))"
        guard !names.isEmpty else { return writer.line(signature + " {}") }
        writer.block(signature) { writer in
            for name in names { writer.line("self.\(name) = \(name)") }
        }
    }

    private func emitNested(_ layout: MessageLayout, into writer: inout CodeWriter) throws {
        let message = layout.message
        guard !layout.oneofs.isEmpty || !message.enums.isEmpty || !message.messages.isEmpty else { return }
        writer.line()
        try writer.block("extension \(layout.swiftName)") { writer in
            for (index, oneof) in layout.oneofs.enumerated() {
                if index > 0 { writer.line() }
                emitOneof(oneof, into: &writer)
            }
            for (index, enumeration) in message.enums.enumerated() {
                if index > 0 || !layout.oneofs.isEmpty { writer.line() }
                try EnumEmitter().emit(enumeration, into: &writer)
            }
            for (index, nested) in message.messages.enumerated() {
                if index > 0 || !layout.oneofs.isEmpty || !message.enums.isEmpty { writer.line() }
                try emitStruct(MessageLayout(nested, registry: registry), into: &writer)
            }
        }
        for nested in message.messages {
            try emitNested(MessageLayout(nested, registry: registry), into: &writer)
        }
    }

    private func emitOneof(_ oneof: MessageLayout.Oneof, into writer: inout CodeWriter) {
        writer.doc(nil, fallback: "The fields of the `\(oneof.protoName)` oneof; at most one is set.")
        writer.block("public enum \(oneof.typeName): Sendable, Hashable") { writer in
            for field in oneof.fields {
                writer.doc(field.field.comment, fallback: "`\(field.field.name)` (field \(field.field.number)).")
                writer.line("case \(field.swiftName)(\(field.elementType))")
            }
        }
    }
}
