/// Refuses any message a service receives that contains itself, directly or through other
/// messages (docs/generated-code.md): protobuf-c's unpack recurses once per nesting level with no depth
/// limit, so such a request could overflow the server's stack. The `google/api` annotation
/// files are exempt: nothing decodes their messages at run time.
struct RecursionCheck {
    var registry: TypeRegistry

    func check(_ services: [ProtoService]) throws {
        for service in services {
            for method in service.methods {
                let start = String(method.inputType.drop(while: { $0 == "." }))
                if let cycle = cycle(from: start, path: []) {
                    let what = cycle.first == start ? "which contains itself" : "which holds a message that contains itself"
                    throw GeneratorError(
                        "\(service.fullName).\(method.name) receives \(start), \(what): "
                            + "\(cycle.joined(separator: " → ")): protobuf-c unpacks nested messages without a depth limit, "
                            + "so no message a service receives may be recursive (see docs/generated-code.md)")
                }
            }
        }
    }

    /// Refuses a message that holds itself through singular fields: a Swift struct cannot
    /// contain itself (a repeated field is fine, an array stores its elements elsewhere).
    func checkValueTypes(_ messages: [ProtoMessage]) throws {
        for message in messages {
            if let cycle = cycle(from: message.fullName, path: [], singularOnly: true) {
                throw GeneratorError(
                    "\(message.fullName) contains itself through singular fields (\(cycle.joined(separator: " → "))), "
                        + "which a Swift struct cannot hold; make one of those fields repeated")
            }
            try checkValueTypes(message.messages)
        }
    }

    /// A chain of fields that leads back to a message already on the path, if any.
    private func cycle(from fullName: String, path: [String], singularOnly: Bool = false) -> [String]? {
        if let index = path.firstIndex(of: fullName) { return Array(path[index...]) + [fullName] }
        guard let entry = registry.entry(fullName), !entry.file.hasPrefix("google/api/"),
            case .message(let message) = entry.declaration
        else { return nil }
        for field in message.fields where field.kind == .message && !(singularOnly && field.isRepeated) {
            let next = String(field.typeName.drop(while: { $0 == "." }))
            if let found = cycle(from: next, path: path + [fullName], singularOnly: singularOnly) { return found }
        }
        return nil
    }
}
