/// Writes a proto3 enum as a Swift enum that keeps values it does not know
/// (`.unrecognized(Int32)`), with its wire value and its `.proto` name both ways.
struct EnumEmitter {
    /// One Swift case: the first name declared for a number.
    private struct Case {
        var name: String
        var value: ProtoEnum.Value
    }

    func emit(_ enumeration: ProtoEnum, into writer: inout CodeWriter) throws {
        let (cases, aliases) = try split(enumeration)
        let typeName = enumeration.name
        writer.doc(enumeration.comment, fallback: "The `\(enumeration.fullName)` enum.")
        writer.block("public enum \(typeName): Sendable, Hashable, CaseIterable") { writer in
            for item in cases {
                writer.doc(item.value.comment, fallback: "`\(item.value.name)` = \(item.value.number).")
                writer.line("case \(item.name)")
            }
            writer.doc(nil, fallback: "A value this build does not know, kept as is.")
            writer.line("case unrecognized(Int32)")
            for alias in aliases {
                writer.line()
                writer.doc(alias.value.comment, fallback: "Another name for `.\(alias.name)`.")
                writer.line("public static let \(alias.alias): \(typeName) = .\(alias.name)")
            }
            writer.line()
            writer.doc(nil, fallback: "The known cases, in declaration order.")
            writer.line("public static let allCases: [\(typeName)] = [\(cases.map { "." + $0.name }.joined(separator: ", "))]")
            writer.line()
            writer.doc(nil, fallback: "The case for a wire value; a value this build does not know becomes `.unrecognized`.")
            writer.block("public init(rawValue: Int32)") { writer in
                writer.switchBlock("rawValue") { writer in
                    for item in cases { writer.line("case \(item.value.number): self = .\(item.name)") }
                    writer.line("default: self = .unrecognized(rawValue)")
                }
            }
            writer.line()
            writer.doc(nil, fallback: "The wire value.")
            writer.block("public var rawValue: Int32") { writer in
                writer.switchBlock("self") { writer in
                    for item in cases { writer.line("case .\(item.name): \(item.value.number)") }
                    writer.line("case .unrecognized(let value): value")
                }
            }
            writer.line()
            writer.doc(nil, fallback: "The name in the `.proto` file (proto3 JSON writes it); an unrecognized value's name is its number.")
            writer.block("public var protoName: String") { writer in
                writer.switchBlock("self") { writer in
                    for item in cases { writer.line("case .\(item.name): \"\(item.value.name)\"") }
                    writer.line("case .unrecognized(let value): String(value)")
                }
            }
            writer.line()
            writer.doc(nil, fallback: "The case a `.proto` name stands for; nil for any other name.")
            writer.block("public init?(protoName: String)") { writer in
                writer.switchBlock("protoName") { writer in
                    for item in cases { writer.line("case \"\(item.value.name)\": self = .\(item.name)") }
                    for alias in aliases { writer.line("case \"\(alias.value.name)\": self = .\(alias.name)") }
                    writer.line("default: return nil")
                }
            }
        }
    }

    /// The cases (first name per number) and the aliases (later names for a number).
    private func split(_ enumeration: ProtoEnum) throws -> (cases: [Case], aliases: [(alias: String, name: String, value: ProtoEnum.Value)]) {
        var cases: [Case] = [], aliases: [(alias: String, name: String, value: ProtoEnum.Value)] = []
        var byNumber: [Int32: String] = [:], names: Set<String> = ["unrecognized", "allCases", "rawValue", "protoName"]
        for value in enumeration.values {
            let name = SwiftNames.identifier(SwiftNames.enumCase(value.name, enumName: enumeration.name))
            guard names.insert(name).inserted else {
                throw GeneratorError("\(enumeration.fullName).\(value.name) becomes the Swift name `\(name)`, which is already taken")
            }
            if let first = byNumber[value.number] {
                aliases.append((alias: name, name: first, value: value))
            } else {
                byNumber[value.number] = name
                cases.append(Case(name: name, value: value))
            }
        }
        guard enumeration.values.first?.number == 0 else {
            throw GeneratorError("\(enumeration.fullName): the first value must be 0 (proto3)")
        }
        return (cases, aliases)
    }
}
