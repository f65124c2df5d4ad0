internal import CPluginContracts
internal import CProtobufC

/// Encodes protoc's `CodeGeneratorResponse` with protoc-c's C for `plugin.proto`.
///
/// Every C string and array of the response is borrowed from Swift storage that outlives the
/// `pack` call: the response is built and packed inside nested `withCString` /
/// `withUnsafeMutableBufferPointer` scopes, so nothing is allocated by hand and nothing is freed.
enum ResponseWriter {
    /// A response carrying generated files. Proto3 `optional` is not claimed: protoc-c cannot
    /// generate it either, so protoc refuses such files with its own clear message.
    static func encode(files: [GeneratedFile]) -> [UInt8] {
        withFiles(files[...], built: []) { cFiles in
            withResponse(error: nil, files: cFiles)
        }
    }

    /// A response that makes protoc print `message` and fail.
    static func encode(error message: String) -> [UInt8] {
        withResponse(error: message, files: [])
    }

    /// Builds the C file entries one by one, each inside the scope of its strings.
    private static func withFiles(
        _ remaining: ArraySlice<GeneratedFile>,
        built: [Google__Protobuf__Compiler__CodeGeneratorResponse__File],
        _ body: ([Google__Protobuf__Compiler__CodeGeneratorResponse__File]) -> [UInt8]
    ) -> [UInt8] {
        guard let file = remaining.first else { return body(built) }
        return file.name.withCString { name in
            file.content.withCString { content in
                var entry = Google__Protobuf__Compiler__CodeGeneratorResponse__File()
                google__protobuf__compiler__code_generator_response__file__init(&entry)
                entry.name = UnsafeMutablePointer(mutating: name)
                entry.content = UnsafeMutablePointer(mutating: content)
                return withFiles(remaining.dropFirst(), built: built + [entry], body)
            }
        }
    }

    private static func withResponse(
        error: String?, files: [Google__Protobuf__Compiler__CodeGeneratorResponse__File]
    ) -> [UInt8] {
        var files = files
        return files.withUnsafeMutableBufferPointer { entries in
            var pointers =
                (0..<entries.count).map { entries.baseAddress! + $0 } as [UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorResponse__File>?]
            return pointers.withUnsafeMutableBufferPointer { pointers in
                var response = Google__Protobuf__Compiler__CodeGeneratorResponse()
                google__protobuf__compiler__code_generator_response__init(&response)
                response.has_supported_features = 1
                response.supported_features = UInt64(GOOGLE__PROTOBUF__COMPILER__CODE_GENERATOR_RESPONSE__FEATURE__FEATURE_NONE.rawValue)
                response.n_file = pointers.count
                response.file = pointers.baseAddress
                return (error ?? "").withCString { text in
                    if error != nil { response.error = UnsafeMutablePointer(mutating: text) }
                    let size = google__protobuf__compiler__code_generator_response__get_packed_size(&response)
                    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                        count = google__protobuf__compiler__code_generator_response__pack(&response, buffer.baseAddress)
                    }
                }
            }
        }
    }
}

/// One output file, named relative to the `--orderhub_out` directory.
struct GeneratedFile: Equatable {
    var name: String
    var content: String
}

/// A reason the plugin refuses its input. protoc prints the message and fails the run.
struct GeneratorError: Error, Equatable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
