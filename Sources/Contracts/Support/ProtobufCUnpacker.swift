// `package`: the generated bridging of every contracts module in this package (Contracts,
// InteropContracts) calls the unpacker with protobuf-c types; none of them is public. (The
// generated files import CProtobufC first so that those types are this module's: see Generator.)
package import CProtobufC
import RPC

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Unpacks one message with protobuf-c under a memory budget, then copies it out into Swift
/// values while the unpacked tree is still alive.
///
/// protobuf-c allocates the whole tree through this unpacker's `ProtobufCAllocator`. Once the
/// live bytes would pass the budget, an allocation fails and protobuf-c abandons the unpack
/// cleanly (it frees what it had and returns NULL), so a hostile input cannot make it balloon:
/// some encodings cost protobuf-c over 40 bytes of memory per input byte. The budget is 16× the
/// input, at most 16 MiB. It is at least 1 MiB: a small message made of many tiny sub-messages
/// legitimately costs more than 16× its size (each one is a whole C struct), and 1 MiB per
/// decode is harmless.
///
/// Invariant: every block protobuf-c holds during an unpack was allocated here and is recorded
/// with its size until protobuf-c frees it; `unpack` frees the tree exactly once, after the copy,
/// and the unpacker is used by that one call on one thread (its initializer is private): `copy`
/// (the generated `init(_:from:)`) copies every value out and keeps neither the unpacker nor a
/// pointer into the tree. Blocks left over (none, unless protobuf-c leaked) are freed when the
/// unpacker goes away.
package final class ProtobufCUnpacker {
    /// The most bytes one unpack may hold, for an input of `inputSize` bytes.
    package static func budget(forInputSize inputSize: Int) -> Int {
        let (scaled, overflow) = inputSize.multipliedReportingOverflow(by: 16)
        return min(overflow ? Int.max : max(scaled, 1 << 20), 16 << 20)
    }

    private let budget: Int
    private var liveBytes = 0
    /// The live blocks and their sizes: the first few in `few`, scanned (a small request, such
    /// as a GetOrder, holds two or three, and an order with a few items a dozen: no dictionary
    /// to allocate and hash into); the rest in `blocks`.
    private var few = InlineArray<16, Block>(repeating: Block(pointer: nil, size: 0))
    private var blocks: [UnsafeMutableRawPointer: Int] = [:]

    private struct Block {
        var pointer: UnsafeMutableRawPointer?
        var size: Int
    }

    private init(budget: Int) {
        self.budget = budget
    }

    deinit {
        for index in few.indices { few[index].pointer?.deallocate() }
        for block in blocks.keys { block.deallocate() }
    }

    /// Decodes `bytes` as the protoc-c message that `initializer` initializes, and copies it
    /// out with `copy`. Malformed input, input over the memory budget and strings that are not
    /// UTF-8 all throw `MessageDecodingError`.
    package static func unpack<CMessage, Message>(
        _ bytes: [UInt8],
        messageName: String,
        initializer: (UnsafeMutablePointer<CMessage>?) -> Void,
        copy: (CMessage, ProtobufCUnpacker) throws -> Message
    ) throws -> Message {
        // An initialized message names its descriptor: protoc-c writes pack and unpack
        // functions only for top-level messages, and this works for nested ones too.
        let descriptor = withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { message in
            initializer(message.baseAddress)
            return UnsafeRawPointer(message.baseAddress.unsafelyUnwrapped).load(as: ProtobufCMessage.self).descriptor
        }
        let unpacker = ProtobufCUnpacker(budget: budget(forInputSize: bytes.count))
        return try unpacker.withAllocator { allocator in
            let unpacked = bytes.withUnsafeBufferPointer {
                protobuf_c_message_unpack(descriptor, allocator, $0.count, $0.baseAddress)
            }
            guard let unpacked else { throw MessageDecodingError(messageName: messageName) }
            defer { protobuf_c_message_free_unpacked(unpacked, allocator) }
            do {
                return try copy(UnsafeRawPointer(unpacked).load(as: CMessage.self), unpacker)
            } catch {
                throw MessageDecodingError(messageName: messageName)
            }
        }
    }

    // MARK: Copying out

    /// A string field. protobuf-c allocates `length + 1` bytes for each string it unpacks and
    /// copies the wire bytes in, U+0000 included; the recorded block size gives that length
    /// where `strlen` would stop early. A string it did not allocate (the shared empty default
    /// of an absent field) is measured with `strlen`.
    package func string(_ pointer: UnsafePointer<CChar>?) throws -> String {
        guard let pointer else { return "" }
        var count = strlen(pointer)
        if let size = size(of: UnsafeMutableRawPointer(mutating: pointer)), size > count, pointer[size - 1] == 0 {
            count = size - 1
        }
        return try Self.text(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// The string of `utf8`, refused unless it is valid UTF-8 (proto3 requires it).
    ///
    /// The standard library's `String(validating:as:)` is generic and not inlined, so it looks
    /// up type metadata at run time on every call: 1.7 % of a Health/Check call's CPU. Nearly
    /// every string on the wire is ASCII (ids, SKUs, currency codes, tokens), and ASCII is
    /// valid UTF-8 byte for byte, so those take `String(decoding:as:)` directly. Other text
    /// is decoded the same way and then compared with its bytes: decoding replaces each
    /// invalid sequence with U+FFFD, so the result equals the input exactly when the input was
    /// valid.
    package static func text(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
        if utf8.isEmpty { return "" }
        var isASCII = true
        for byte in utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        let text = String(decoding: utf8, as: UTF8.self)
        guard isASCII || text.utf8.elementsEqual(utf8) else { throw InvalidUTF8() }
        return text
    }

    /// A repeated string field.
    package func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int) throws -> [String] {
        try array(pointer, count: count) { try string($0) }
    }

    /// A bytes field.
    package func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard let bytes = data.data, data.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: data.len))
    }

    /// A sub-message field: nil when absent.
    package func message<CMessage, Message>(
        _ pointer: UnsafeMutablePointer<CMessage>?, _ copy: (CMessage) throws -> Message
    ) rethrows -> Message? {
        try pointer.map { try copy($0.pointee) }
    }

    /// A sub-message that must be present (the selected field of a oneof).
    package func requiredMessage<CMessage, Message>(
        _ pointer: UnsafeMutablePointer<CMessage>?, _ copy: (CMessage) throws -> Message
    ) throws -> Message {
        guard let pointer else { throw MissingMessage() }
        return try copy(pointer.pointee)
    }

    /// A repeated sub-message field.
    package func messages<CMessage, Message>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CMessage>?>?, count: Int,
        _ copy: (CMessage) throws -> Message
    ) throws -> [Message] {
        try array(pointer, count: count) { element in
            guard let element else { throw MissingMessage() }
            return try copy(element.pointee)
        }
    }

    /// A repeated number field.
    package func array<Element>(_ pointer: UnsafeMutablePointer<Element>?, count: Int) -> [Element] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// A repeated field whose Swift elements are converted from the C ones.
    package func array<Element, Value>(
        _ pointer: UnsafeMutablePointer<Element>?, count: Int, _ convert: (Element) throws -> Value
    ) rethrows -> [Value] {
        guard let pointer, count > 0 else { return [] }
        return try UnsafeBufferPointer(start: pointer, count: count).map(convert)
    }

    // MARK: The allocator

    private func withAllocator<Result>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws -> Result) rethrows -> Result {
        var allocator = ProtobufCAllocator(
            alloc: { context, size in
                guard let context else { return nil }
                return Unmanaged<ProtobufCUnpacker>.fromOpaque(context).takeUnretainedValue().allocate(size)
            },
            free: { context, pointer in
                guard let context, let pointer else { return }
                Unmanaged<ProtobufCUnpacker>.fromOpaque(context).takeUnretainedValue().release(pointer)
            },
            allocator_data: Unmanaged.passUnretained(self).toOpaque()
        )
        return try withExtendedLifetime(self) {
            try withUnsafeMutablePointer(to: &allocator) { try body($0) }
        }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        guard size <= budget - liveBytes else { return nil }
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 16)
        liveBytes += size
        for index in few.indices where few[index].pointer == nil {
            few[index] = Block(pointer: block, size: size)
            return block
        }
        blocks[block] = size
        return block
    }

    private func release(_ block: UnsafeMutableRawPointer) {
        let size: Int
        if let index = few.indices.first(where: { few[$0].pointer == block }) {
            size = few[index].size
            few[index].pointer = nil
        } else if let recorded = blocks.removeValue(forKey: block) {
            size = recorded
        } else {
            preconditionFailure("protobuf-c freed a block this unpacker did not allocate")
        }
        liveBytes -= size
        block.deallocate()
    }

    /// The size of a live block this unpacker allocated; nil for any other pointer.
    private func size(of block: UnsafeMutableRawPointer) -> Int? {
        for index in few.indices where few[index].pointer == block { return few[index].size }
        return blocks[block]
    }

    private struct InvalidUTF8: Error {}
    private struct MissingMessage: Error {}
}
