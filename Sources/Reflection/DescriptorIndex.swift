import RPC

/// The descriptors a server can describe, indexed the ways reflection asks for them: by file
/// name, by symbol, and by extension.
struct DescriptorIndex: Sendable {
    private var byName: [String: ProtoFileDescriptor] = [:]
    private var fileBySymbol: [String: String] = [:]
    private var fileByExtension: [ExtensionKey: String] = [:]
    private var extensionNumbers: [String: [Int32]] = [:]

    private struct ExtensionKey: Hashable {
        var extendee: String
        var number: Int32
    }

    init(_ files: [ProtoFileDescriptor]) {
        for file in files {
            byName[file.name] = file
            for symbol in file.symbols { fileBySymbol[symbol] = file.name }
            for field in file.extensions {
                fileByExtension[ExtensionKey(extendee: field.extendee, number: field.number)] = file.name
                extensionNumbers[field.extendee, default: []].append(field.number)
            }
        }
    }

    /// The file, then every file it imports directly or not, each once: what a client needs
    /// to build the file's descriptors. nil for an unknown file.
    func fileWithDependencies(_ name: String) -> [ProtoFileDescriptor]? {
        guard byName[name] != nil else { return nil }
        var ordered: [ProtoFileDescriptor] = []
        var seen: Set<String> = []
        func visit(_ name: String) {
            guard seen.insert(name).inserted, let file = byName[name] else { return }
            ordered.append(file)
            file.dependencies.forEach(visit)
        }
        visit(name)
        return ordered
    }

    /// The name of the file defining a fully qualified symbol (a leading dot is ignored).
    func file(containingSymbol symbol: String) -> String? {
        fileBySymbol[symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol]
    }

    /// The name of the file declaring extension `number` of `extendee`.
    func file(extending extendee: String, number: Int32) -> String? {
        fileByExtension[ExtensionKey(extendee: extendee, number: number)]
    }

    /// The known extension numbers of a message; nil when the message is unknown.
    func extensionNumbers(of extendee: String) -> [Int32]? {
        if let numbers = extensionNumbers[extendee] { return numbers.sorted() }
        return fileBySymbol[extendee] != nil ? [] : nil
    }
}
