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
/// protobuf-c allocates the whole tree through this unpacker's `ProtobufCAllocator`, which
/// hands out blocks from slabs: the first one on the stack of `unpack` (an order with a few
/// items, or any small message, fits: no `malloc` at all), the next ones on the heap. A block's size sits in the
/// 16 bytes before it. Freeing a block frees nothing; the slabs go when the unpack is over.
/// Once the bytes handed out would pass the budget, an allocation fails and protobuf-c abandons
/// the unpack cleanly (it returns NULL), so a hostile input cannot make it balloon: some
/// encodings cost protobuf-c over 40 bytes of memory per input byte. The budget is 16× the
/// input, at most 16 MiB. It is at least 1 MiB: a small message made of many tiny sub-messages
/// legitimately costs more than 16× its size (each one is a whole C struct), and 1 MiB per
/// decode is harmless. (protobuf-c frees during an unpack only when a field repeats, and what
/// it frees is smaller than the input that repeated it, so counting the freed bytes too keeps
/// the held memory within the same bound.)
///
/// Invariant: every block protobuf-c holds during an unpack comes from this unpacker's slabs;
/// `unpack` frees the tree exactly once, after the copy, and the unpacker is used by that one
/// call on one thread (its initializer is private): `copy` (the generated `init(_:from:)`)
/// copies every value out and keeps neither the unpacker nor a pointer into the tree. The heap
/// slabs are freed when the unpacker goes away, and the stack slab is never used after
/// `unpack` returns.
package final class ProtobufCUnpacker {
    /// The most bytes one unpack may hold, for an input of `inputSize` bytes.
    package static func budget(forInputSize inputSize: Int) -> Int {
        let (scaled, overflow) = inputSize.multipliedReportingOverflow(by: 16)
        return min(overflow ? Int.max : max(scaled, 1 << 20), 16 << 20)
    }

    /// The stack slab's size: the blocks of an order with a few items (≈ 500 bytes with one)
    /// fit. At most 1 KiB: `withUnsafeTemporaryAllocation` puts larger sizes on the heap on
    /// Linux (see `ProtobufCArena.firstBlockSize`).
    private static var stackSlabSize: Int { 1024 }
    /// The first heap slab's size; each next one is twice the last, up to 1 MiB, so that even
    /// a 16 MiB decode has few slabs to look a block up in.
    private static var firstHeapSlabSize: Int { 16384 }
    /// The bytes before each block, holding its size (and keeping blocks 16-byte aligned).
    private static var header: Int { 16 }

    private let budget: Int
    private var handedOut = 0
    /// The slab blocks are cut from, and how much of it is used.
    private var slab: UnsafeMutableRawBufferPointer
    private var used = 0
    private let stackSlab: UnsafeMutableRawBufferPointer
    private var heapSlabs: [UnsafeMutableRawBufferPointer] = []

    private init(budget: Int, stackSlab: UnsafeMutableRawBufferPointer) {
        self.budget = budget
        self.stackSlab = stackSlab
        self.slab = stackSlab
    }

    deinit {
        for slab in heapSlabs { slab.deallocate() }
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
        return try withUnsafeTemporaryAllocation(byteCount: stackSlabSize, alignment: 16) { stackSlab in
            let unpacker = ProtobufCUnpacker(budget: budget(forInputSize: bytes.count), stackSlab: stackSlab)
            return try unpacker.unpack(bytes, descriptor: descriptor, messageName: messageName, copy: copy)
        }
    }

    private func unpack<CMessage, Message>(
        _ bytes: [UInt8], descriptor: UnsafePointer<ProtobufCMessageDescriptor>?, messageName: String,
        copy: (CMessage, ProtobufCUnpacker) throws -> Message
    ) throws -> Message {
        try withAllocator { allocator in
            let unpacked = bytes.withUnsafeBufferPointer {
                protobuf_c_message_unpack(descriptor, allocator, $0.count, $0.baseAddress)
            }
            guard let unpacked else { throw MessageDecodingError(messageName: messageName) }
            defer { protobuf_c_message_free_unpacked(unpacked, allocator) }
            do {
                return try copy(UnsafeRawPointer(unpacked).load(as: CMessage.self), self)
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
            // A freed block's memory stays in its slab until the unpack is over.
            free: { _, _ in },
            allocator_data: Unmanaged.passUnretained(self).toOpaque()
        )
        return try withExtendedLifetime(self) {
            try withUnsafeMutablePointer(to: &allocator) { try body($0) }
        }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        guard size >= 0, size <= budget - handedOut else { return nil }
        handedOut += size
        let need = Self.header + ((size + 15) & ~15)
        let nextSlabSize = heapSlabs.isEmpty ? Self.firstHeapSlabSize : min(heapSlabs[heapSlabs.count - 1].count * 2, 1 << 20)
        // A block bigger than a quarter of a new slab gets a slab of its own.
        if need > nextSlabSize / 4 {
            let own = UnsafeMutableRawBufferPointer.allocate(byteCount: need, alignment: 16)
            heapSlabs.append(own)
            return block(in: own.baseAddress.unsafelyUnwrapped, size: size)
        }
        if need > slab.count - used {
            slab = UnsafeMutableRawBufferPointer.allocate(byteCount: nextSlabSize, alignment: 16)
            heapSlabs.append(slab)
            used = 0
        }
        let start = slab.baseAddress.unsafelyUnwrapped + used
        used += need
        return block(in: start, size: size)
    }

    /// Writes `size` into the header at `start`; the block follows it.
    private func block(in start: UnsafeMutableRawPointer, size: Int) -> UnsafeMutableRawPointer {
        start.storeBytes(of: size, as: Int.self)
        return start + Self.header
    }

    /// The size of a block this unpacker handed out; nil for any other pointer.
    private func size(of block: UnsafeMutableRawPointer) -> Int? {
        guard owns(block) else { return nil }
        return (block - Self.header).load(as: Int.self)
    }

    /// Whether `pointer` lies in one of the slabs (the shared empty default string does not).
    private func owns(_ pointer: UnsafeMutableRawPointer) -> Bool {
        func holds(_ slab: UnsafeMutableRawBufferPointer) -> Bool {
            guard let base = slab.baseAddress else { return false }
            return pointer > base && pointer < base + slab.count
        }
        return holds(stackSlab) || holds(slab) || heapSlabs.contains(where: holds)
    }

    private struct InvalidUTF8: Error {}
    private struct MissingMessage: Error {}
}
