/// The plugin's parameter (`--orderhub_opt`): comma-separated `key=value` pairs.
struct Options: Equatable {
    /// The C module holding protoc-c's output for these files, `internal import`ed by the
    /// bridging code (`CContracts`, `CInteropContracts`).
    var cModule: String
    /// The module with the protobuf-c runtime the bridging code calls (`ProtobufCArena`,
    /// `ProtobufCUnpacker`, in `Contracts/Support`), `internal import`ed by the bridging code;
    /// nil when the files are generated into that module itself.
    var runtimeModule: String?
    /// When set, the name of a public enum, written to `<name>.swift`, listing the
    /// `ProtoFileDescriptor` of every file protoc passed: the ones generated and all they import.
    var descriptors: String?
    /// Files whose descriptors are listed but for which no Swift is generated (colon-separated
    /// paths): a second version of a protocol whose Swift names would collide with the first.
    var descriptorsOnly: Set<String> = []
    /// When set, the REST gateway's code is generated instead of the contracts: the
    /// `google.api.http` bindings, their OpenAPI schemas and the proto3 JSON coding, for a target
    /// that imports the message types from this module (`REST=Contracts`).
    var restContractsModule: String?

    init(parameter: String) throws {
        var cModule: String?
        for pair in parameter.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            switch (parts.first, parts.count) {
            case ("CModule", 2): cModule = parts[1]
            case ("RuntimeModule", 2) where !parts[1].isEmpty: runtimeModule = parts[1]
            case ("Descriptors", 2) where !parts[1].isEmpty: descriptors = parts[1]
            case ("DescriptorsOnly", 2): descriptorsOnly = Set(parts[1].split(separator: ":").map(String.init))
            case ("REST", 2) where !parts[1].isEmpty: restContractsModule = parts[1]
            default:
                throw GeneratorError(
                    "unknown option `\(pair)`; the plugin takes CModule=<name>, RuntimeModule=<name>, "
                        + "Descriptors=<name>, DescriptorsOnly=<path>:<path> and REST=<contracts module>")
            }
        }
        if restContractsModule != nil, cModule == nil {
            self.cModule = ""
            return
        }
        guard let cModule, !cModule.isEmpty else {
            throw GeneratorError("missing option CModule=<name>: the C module with protoc-c's output for these files")
        }
        self.cModule = cModule
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
