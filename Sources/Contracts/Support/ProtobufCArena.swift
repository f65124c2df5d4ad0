// `package`: the generated bridging of every contracts module in this package (Contracts,
// InteropContracts) calls the arena with protobuf-c types; none of them is public. (The
// generated files import CProtobufC first so that those types are this module's: see Generator.)
package import CProtobufC

/// Owns every C allocation made while a message is built for packing: strings, byte buffers,
/// arrays and sub-messages. protobuf-c's pack only reads the tree, so the tree lives exactly as
/// long as `pack(_:)` runs, and the arena frees all of it once, when `pack` returns.
///
/// Invariant: memory handed out by an arena is valid until the arena is released, is written
/// only while the tree is built, and is never freed by anyone else. An arena is created only by
/// `pack(_:)` (its initializer is private) and used by that one call on one thread: `build` (the
/// generated `cMessage(in:)`) keeps neither the arena nor a pointer from it once it returns.
///
/// protobuf-c keeps a `string` field as a NUL-terminated `char *`, which cannot hold U+0000.
/// Such a string is still encoded exactly: it is left out of the C struct and attached to the
/// message as an unknown field with the same number, which protobuf-c writes out verbatim
/// (after the known fields: field order on the wire carries no meaning).
package final class ProtobufCArena {
    /// Small allocations share blocks of this size; larger ones get a block of their own.
    private static let blockSize = 8192
    private static let alignment = 16

    private var blocks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutableRawPointer?
    private var remaining = 0
    private var sharedEmptyString: UnsafeMutablePointer<CChar>?

    private init() {}

    deinit {
        for block in blocks { block.deallocate() }
    }

    /// Bytes of the first block, which is temporary (stack) memory of `pack` itself: the tree of
    /// a small message (most responses: an order with a few items, a health status) needs no
    /// heap block at all. At most 1 KiB: `withUnsafeTemporaryAllocation` puts larger sizes on
    /// the heap on Linux (2 KiB was a malloc and free per message, past glibc's per-thread
    /// cache), and a larger tree continues in heap blocks anyway.
    private static let firstBlockSize = 1024

    /// Builds a C message with a fresh arena, packs it, and frees everything the build allocated.
    package static func pack<CMessage>(_ build: (ProtobufCArena) -> CMessage) -> [UInt8] {
        withUnsafeTemporaryAllocation(byteCount: firstBlockSize, alignment: alignment) { first in
            // The arena and every pointer into it end with this closure (see the invariant).
            let arena = ProtobufCArena()
            arena.next = first.baseAddress
            arena.remaining = first.count
            return pack(build, in: arena)
        }
    }

    private static func pack<CMessage>(_ build: (ProtobufCArena) -> CMessage, in arena: ProtobufCArena) -> [UInt8] {
        withExtendedLifetime(arena) {
            var message = build(arena)
            return withUnsafePointer(to: &message) { pointer in
                // Every protoc-c message struct starts with its ProtobufCMessage header.
                let header = UnsafePointer<ProtobufCMessage>(OpaquePointer(pointer))
                let size = protobuf_c_message_get_packed_size(header)
                guard size > 0 else { return [] }
                return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                    count = protobuf_c_message_pack(header, buffer.baseAddress)
                    precondition(count == size, "protobuf-c packed \(count) bytes after measuring \(size)")
                }
            }
        }
    }

    // MARK: Values

    /// A `string` field's value. A string containing U+0000 becomes an unknown field of
    /// `message` (see the type's documentation) and the member gets the empty string.
    package func string(_ value: String, field: Int32, of message: inout ProtobufCMessage) -> UnsafeMutablePointer<CChar> {
        var value = value
        return value.withUTF8 { utf8 in
            if utf8.contains(0) {
                appendUnknownString(utf8, field: field, to: &message)
                return emptyString()
            }
            return cString(utf8)
        }
    }

    /// A `repeated string` field's values. When one of them contains U+0000, all of them become
    /// unknown fields (in order, so the list keeps its order) and the C array is empty.
    package func strings(
        _ values: [String], field: Int32, of message: inout ProtobufCMessage
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard values.contains(where: { $0.utf8.contains(0) }) else {
            return array(values) { value in
                var value = value
                return value.withUTF8 { cString($0) }
            }
        }
        for value in values {
            var value = value
            value.withUTF8 { appendUnknownString($0, field: field, to: &message) }
        }
        return (0, nil)
    }

    /// A `bytes` field's value.
    package func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
        guard !value.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let data = allocate(UInt8.self, count: value.count)
        data.initialize(from: value, count: value.count)
        return ProtobufCBinaryData(len: value.count, data: data)
    }

    /// A present sub-message, copied into the arena; nil stays nil.
    package func message<CMessage>(_ value: CMessage?) -> UnsafeMutablePointer<CMessage>? {
        guard let value else { return nil }
        let pointer = allocate(CMessage.self, count: 1)
        pointer.initialize(to: value)
        return pointer
    }

    /// A repeated sub-message field: the count and a C array of pointers to the built messages.
    package func messages<Value, CMessage>(
        _ values: [Value], _ build: (Value) -> CMessage
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CMessage>?>?) {
        guard !values.isEmpty else { return (0, nil) }
        let storage = allocate(CMessage.self, count: values.count)
        let pointers = allocate(UnsafeMutablePointer<CMessage>?.self, count: values.count)
        for (index, value) in values.enumerated() {
            (storage + index).initialize(to: build(value))
            (pointers + index).initialize(to: storage + index)
        }
        return (values.count, pointers)
    }

    /// A repeated number field: the count and a C array holding the same values.
    package func array<Element>(_ values: [Element]) -> (Int, UnsafeMutablePointer<Element>?) {
        array(values) { $0 }
    }

    /// A repeated field whose C elements are converted from the Swift ones.
    package func array<Value, Element>(_ values: [Value], _ convert: (Value) -> Element) -> (Int, UnsafeMutablePointer<Element>?) {
        guard !values.isEmpty else { return (0, nil) }
        let elements = allocate(Element.self, count: values.count)
        for (index, value) in values.enumerated() {
            (elements + index).initialize(to: convert(value))
        }
        return (values.count, elements)
    }

    // MARK: Memory

    /// Uninitialized, suitably aligned memory for `count` values of a C type, freed with the arena.
    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let byteCount = max(MemoryLayout<T>.stride * count, 1)
        precondition(MemoryLayout<T>.alignment <= Self.alignment)
        let rounded = (byteCount + Self.alignment - 1) & ~(Self.alignment - 1)
        let raw: UnsafeMutableRawPointer
        if rounded > Self.blockSize / 4 {
            raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: Self.alignment)
            blocks.append(raw)
        } else {
            if rounded > remaining || next == nil {
                let block = UnsafeMutableRawPointer.allocate(byteCount: Self.blockSize, alignment: Self.alignment)
                blocks.append(block)
                next = block
                remaining = Self.blockSize
            }
            raw = next.unsafelyUnwrapped
            next = raw + rounded
            remaining -= rounded
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// A NUL-terminated copy of bytes that contain no NUL.
    private func cString(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        guard !utf8.isEmpty else { return emptyString() }
        let text = allocate(CChar.self, count: utf8.count + 1)
        UnsafeMutableRawPointer(text).copyMemory(from: UnsafeRawPointer(utf8.baseAddress.unsafelyUnwrapped), byteCount: utf8.count)
        text[utf8.count] = 0
        return text
    }

    private func emptyString() -> UnsafeMutablePointer<CChar> {
        if let sharedEmptyString { return sharedEmptyString }
        let text = allocate(CChar.self, count: 1)
        text.initialize(to: 0)
        sharedEmptyString = text
        return text
    }

    /// Appends `field` as a length-delimited unknown field; protobuf-c's `data` holds the
    /// length prefix and the bytes, as its own unpack stores them.
    private func appendUnknownString(_ utf8: UnsafeBufferPointer<UInt8>, field: Int32, to message: inout ProtobufCMessage) {
        var prefix: [UInt8] = []
        var length = UInt64(utf8.count)
        repeat {
            prefix.append(UInt8(length & 0x7f) | (length > 0x7f ? 0x80 : 0))
            length >>= 7
        } while length > 0
        let data = allocate(UInt8.self, count: prefix.count + utf8.count)
        data.initialize(from: prefix, count: prefix.count)
        (data + prefix.count).initialize(from: utf8.baseAddress.unsafelyUnwrapped, count: utf8.count)

        let count = Int(message.n_unknown_fields)
        let fields = allocate(ProtobufCMessageUnknownField.self, count: count + 1)
        if count > 0 { fields.initialize(from: message.unknown_fields, count: count) }
        (fields + count).initialize(
            to: ProtobufCMessageUnknownField(
                tag: UInt32(bitPattern: field), wire_type: PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED,
                len: prefix.count + utf8.count, data: data))
        message.n_unknown_fields = UInt32(count + 1)
        message.unknown_fields = fields
    }
}
