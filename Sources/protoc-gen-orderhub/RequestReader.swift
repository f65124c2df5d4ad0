internal import CGoogleProtobuf
internal import CPluginContracts
internal import CProtobufC

/// Decodes protoc's `CodeGeneratorRequest` with protoc-c's C for `plugin.proto` and copies what
/// the generator needs into plain Swift values.
///
/// The unpacked C tree is freed exactly once, before `read` returns; no pointer escapes it.
/// `descriptor.proto` is proto2, so its optional strings may be NULL: every read goes through
/// `text(_:)`.
enum RequestReader {
    static func read(_ bytes: [UInt8]) throws -> PluginRequest {
        let unpacked = bytes.withUnsafeBufferPointer {
            google__protobuf__compiler__code_generator_request__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let request = unpacked else {
            throw GeneratorError("cannot decode the CodeGeneratorRequest on standard input")
        }
        defer { google__protobuf__compiler__code_generator_request__free_unpacked(request, nil) }

        return PluginRequest(
            filesToGenerate: list(request.pointee.file_to_generate, request.pointee.n_file_to_generate).map { text($0) },
            parameter: text(request.pointee.parameter),
            files: list(request.pointee.proto_file, request.pointee.n_proto_file).compactMap { $0.map { file($0.pointee) } }
        )
    }

    // Paths into SourceCodeInfo, by FileDescriptorProto and DescriptorProto field numbers.
    private static let messageTypePath: Int32 = 4, enumTypePath: Int32 = 5, servicePath: Int32 = 6
    private static let fieldPath: Int32 = 2, nestedTypePath: Int32 = 3, nestedEnumPath: Int32 = 4
    private static let enumValuePath: Int32 = 2, methodPath: Int32 = 2

    private static func file(_ c: Google__Protobuf__FileDescriptorProto) -> ProtoFile {
        let comments = Comments(c.source_code_info)
        let package = text(c.package)
        let prefix = package.isEmpty ? "" : package + "."
        return ProtoFile(
            name: text(c.name),
            package: package,
            syntax: text(c.syntax),
            messages: elements(c.message_type, c.n_message_type).enumerated().map { index, message in
                self.message(message, prefix: prefix, path: [messageTypePath, Int32(index)], comments: comments)
            },
            enums: elements(c.enum_type, c.n_enum_type).enumerated().map { index, value in
                enumeration(value, prefix: prefix, path: [enumTypePath, Int32(index)], comments: comments)
            },
            services: elements(c.service, c.n_service).enumerated().map { index, service in
                let path = [servicePath, Int32(index)]
                return ProtoService(
                    name: text(service.name),
                    fullName: prefix + text(service.name),
                    methods: elements(service.method, service.n_method).enumerated().map { index, method in
                        ProtoMethod(
                            name: text(method.name),
                            inputType: text(method.input_type),
                            outputType: text(method.output_type),
                            clientStreaming: method.client_streaming != 0,
                            serverStreaming: method.server_streaming != 0,
                            comment: comments[path + [methodPath, Int32(index)]],
                            httpOption: httpOption(method.options)
                        )
                    },
                    comment: comments[path]
                )
            },
            dependencies: list(c.dependency, c.n_dependency).map { text($0) },
            extensions: elements(c.extension, c.n_extension).map { field in
                ProtoExtension(
                    extendee: String(text(field.extendee).drop(while: { $0 == "." })),
                    number: field.number, fullName: prefix + text(field.name))
            },
            serializedDescriptor: serialized(c)
        )
    }

    /// The file's descriptor packed again by protobuf-c, without its SourceCodeInfo (comments
    /// and positions, which reflection clients do not need). Fields this descriptor.proto does
    /// not know, and extensions in options such as `google.api.http`, are kept: protobuf-c
    /// packs unknown fields back as they came.
    private static func serialized(_ c: Google__Protobuf__FileDescriptorProto) -> [UInt8] {
        var stripped = c
        stripped.source_code_info = nil
        let size = google__protobuf__file_descriptor_proto__get_packed_size(&stripped)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = google__protobuf__file_descriptor_proto__pack(&stripped, buffer.baseAddress)
        }
    }

    private static func message(
        _ c: Google__Protobuf__DescriptorProto, prefix: String, path: [Int32], comments: Comments
    ) -> ProtoMessage {
        let fullName = prefix + text(c.name)
        return ProtoMessage(
            name: text(c.name),
            fullName: fullName,
            fields: elements(c.field, c.n_field).enumerated().map { index, field in
                ProtoField(
                    name: text(field.name),
                    number: field.number,
                    kind: ProtoField.Kind(rawValue: Int32(truncatingIfNeeded: field.type.rawValue)) ?? .group,
                    isRepeated: field.label == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED,
                    isRequired: field.label == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REQUIRED,
                    typeName: text(field.type_name),
                    oneofIndex: field.has_oneof_index != 0 ? Int(field.oneof_index) : nil,
                    isProto3Optional: field.proto3_optional != 0,
                    comment: comments[path + [fieldPath, Int32(index)]]
                )
            },
            oneofs: elements(c.oneof_decl, c.n_oneof_decl).map { text($0.name) },
            messages: elements(c.nested_type, c.n_nested_type).enumerated().map { index, nested in
                message(nested, prefix: fullName + ".", path: path + [nestedTypePath, Int32(index)], comments: comments)
            },
            enums: elements(c.enum_type, c.n_enum_type).enumerated().map { index, nested in
                enumeration(nested, prefix: fullName + ".", path: path + [nestedEnumPath, Int32(index)], comments: comments)
            },
            isMapEntry: c.options.map { $0.pointee.map_entry != 0 } ?? false,
            comment: comments[path]
        )
    }

    private static func enumeration(
        _ c: Google__Protobuf__EnumDescriptorProto, prefix: String, path: [Int32], comments: Comments
    ) -> ProtoEnum {
        ProtoEnum(
            name: text(c.name),
            fullName: prefix + text(c.name),
            values: elements(c.value, c.n_value).enumerated().map { index, value in
                ProtoEnum.Value(name: text(value.name), number: value.number, comment: comments[path + [enumValuePath, Int32(index)]])
            },
            allowsAliases: c.options.map { $0.pointee.allow_alias != 0 } ?? false,
            comment: comments[path]
        )
    }

    /// The `google.api.http` option's bytes: protobuf-c keeps extensions as unknown fields, a
    /// length-delimited one with its length prefix (a varint), which is dropped here.
    private static func httpOption(_ options: UnsafeMutablePointer<Google__Protobuf__MethodOptions>?) -> [UInt8]? {
        guard let base = options?.pointee.base else { return nil }
        let unknown = UnsafeBufferPointer(start: base.unknown_fields, count: base.unknown_fields == nil ? 0 : Int(base.n_unknown_fields))
        guard let field = unknown.first(where: { $0.tag == HTTPRule.extensionNumber }), let data = field.data else { return nil }
        let bytes = UnsafeBufferPointer(start: data, count: field.len)
        guard let prefix = bytes.firstIndex(where: { $0 < 0x80 }) else { return nil }
        return Array(bytes[(prefix + 1)...])
    }

    /// The leading comments of one file, by SourceCodeInfo path.
    private struct Comments {
        private var byPath: [[Int32]: String] = [:]

        init(_ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?) {
            guard let info else { return }
            for location in elements(info.pointee.location, info.pointee.n_location) {
                guard let leading = location.leading_comments else { continue }
                byPath[Array(UnsafeBufferPointer(start: location.path, count: location.n_path))] = String(cString: leading)
            }
        }

        subscript(path: [Int32]) -> String? { byPath[path] }
    }

    /// A proto2 string: NULL when absent.
    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func list<T>(_ pointer: UnsafeMutablePointer<T>?, _ count: Int) -> [T] {
        Array(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// The messages of a repeated message field, by value (their pointers stay in the tree).
    private static func elements<T>(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ count: Int) -> [T] {
        list(pointer, count).compactMap { $0?.pointee }
    }
}
