/// Writes the C side of a message: `RPCMessage` conformance on protobuf-c's pack and unpack,
/// `cMessage(in:)` (Swift → C, every pointer owned by a `ProtobufCArena`) and
/// `init(_:from:)` (C → Swift, everything copied out of the unpacked tree).
struct CBridgingEmitter {
    var registry: TypeRegistry

    /// The message and every message nested in it.
    func emit(_ message: ProtoMessage, into writer: inout CodeWriter) throws {
        let layout = try MessageLayout(message, registry: registry)
        emitConformance(layout, into: &writer)
        writer.line()
        emitConversions(layout, into: &writer)
        for nested in message.messages {
            writer.line()
            try emit(nested, into: &writer)
        }
    }

    private func emitConformance(_ layout: MessageLayout, into writer: inout CodeWriter) {
        let name = layout.swiftName
        writer.block("extension \(name): RPCMessage") { writer in
            writer.doc(nil, fallback: "Decodes `\(layout.message.fullName)`; malformed bytes throw `MessageDecodingError`.")
            writer.block("public init(serializedBytes bytes: [UInt8]) throws") { writer in
                writer.line("self = try ProtobufCUnpacker.unpack(")
                writer.line("    bytes, messageName: \"\(layout.message.fullName)\", initializer: \(layout.cFunctionPrefix)__init")
                writer.line(") { try \(name)($0, from: $1) }")
            }
            writer.line()
            writer.doc(nil, fallback: "Encodes to protobuf bytes.")
            writer.block("public func serializedBytes() -> [UInt8]") { writer in
                writer.line("ProtobufCArena.pack { cMessage(in: $0) }")
            }
        }
    }

    private func emitConversions(_ layout: MessageLayout, into writer: inout CodeWriter) {
        writer.block("extension \(layout.swiftName)") { writer in
            writer.doc(nil, fallback: "This message as a C `\(layout.cType)`; every pointer in it belongs to `arena`.")
            writer.block("func cMessage(in arena: ProtobufCArena) -> \(layout.cType)") { writer in
                writer.line("var c = \(layout.cType)()")
                writer.line("\(layout.cFunctionPrefix)__init(&c)")
                for field in layout.fields { writer.line(field.packStatement) }
                for oneof in layout.oneofs { emitPack(oneof, layout, into: &writer) }
                writer.line("return c")
            }
            writer.line()
            writer.doc(nil, fallback: "Copies an unpacked C message out; no pointer into it is kept.")
            writer.block("init(_ c: \(layout.cType), from unpacker: ProtobufCUnpacker) throws") { writer in
                for field in layout.fields { writer.line("\(field.swiftName) = \(field.unpackExpression)") }
                for oneof in layout.oneofs { emitUnpack(oneof, layout, into: &writer) }
            }
        }
    }

    private func emitPack(_ oneof: MessageLayout.Oneof, _ layout: MessageLayout, into writer: inout CodeWriter) {
        writer.switchBlock("\(oneof.propertyName)") { writer in
            for field in oneof.fields {
                writer.line("case .\(field.swiftName)(let value)?:")
                writer.line("    c.\(CNames.oneofCaseMember(oneof.protoName)) = \(caseConstant(field, oneof, layout))")
                writer.line("    c.\(field.cMember) = \(field.packExpression("value"))")
            }
            writer.line("case nil:")
            writer.line("    break")
        }
    }

    private func emitUnpack(_ oneof: MessageLayout.Oneof, _ layout: MessageLayout, into writer: inout CodeWriter) {
        writer.switchBlock("c.\(CNames.oneofCaseMember(oneof.protoName))") { writer in
            for field in oneof.fields {
                writer.line("case \(caseConstant(field, oneof, layout)):")
                writer.line("    \(oneof.propertyName) = .\(field.swiftName)(\(field.unpackValue("c.\(field.cMember)")))")
            }
            writer.line("default:")
            writer.line("    \(oneof.propertyName) = nil")
        }
    }

    private func caseConstant(_ field: FieldMapping, _ oneof: MessageLayout.Oneof, _ layout: MessageLayout) -> String {
        CNames.oneofCaseConstant(message: layout.message.fullName, oneof: oneof.protoName, field: field.field.name)
    }
}
