internal import CNghttp2
import RPC

/// Header fields to submit, packed into one byte buffer so building the `nghttp2_nv` array
/// costs two allocations however many fields there are. nghttp2 copies names and values
/// during the submit call (no NO_COPY flags), so the storage lives only for that call.
struct HeaderBlock {
    private var storage: [UInt8] = []
    private var ranges: [(name: Range<Int>, value: Range<Int>)] = []
    /// A prebuilt constant block, used as is.
    private var constant: ConstantHeaderBlock?

    init(capacity: Int = 8) {
        storage.reserveCapacity(capacity * 24)
        ranges.reserveCapacity(capacity)
    }

    private init(constant: ConstantHeaderBlock) {
        self.constant = constant
    }

    mutating func add(_ name: String, _ value: String) {
        let nameStart = storage.count
        storage.append(contentsOf: name.utf8)
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        ranges.append((nameStart..<valueStart, valueStart..<storage.count))
    }

    mutating func add(contentsOf fields: [(name: String, value: String)]) {
        for field in fields { add(field.name, field.value) }
    }

    func withNVArray<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        if let constant { return body(constant.nva, constant.count) }
        return storage.withUnsafeBufferPointer { bytes in
            // An empty storage has no base address; any non-null pointer does for zero-length fields.
            let base = UnsafeMutablePointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            var list = [nghttp2_nv]()
            list.reserveCapacity(ranges.count)
            for range in ranges {
                list.append(
                    nghttp2_nv(
                        name: base + range.name.lowerBound, value: base + range.value.lowerBound,
                        namelen: range.name.count, valuelen: range.value.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
            }
            return list.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }

    /// `:status 200`, `content-type: application/grpc` and what we accept: the response
    /// headers of almost every call.
    static let grpcResponse = HeaderBlock(constant: ConstantHeaderBlock(responseFields))
    /// The same for a call whose responses are compressed with gzip.
    static let grpcResponseGzip = HeaderBlock(constant: ConstantHeaderBlock(responseFields + [("grpc-encoding", "gzip")]))
    /// The same for a call whose responses are compressed with deflate.
    static let grpcResponseDeflate = HeaderBlock(constant: ConstantHeaderBlock(responseFields + [("grpc-encoding", "deflate")]))

    private static let responseFields = [
        (":status", "200"), ("content-type", "application/grpc"),
        ("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader),
    ]
    /// `grpc-status: 0`: the trailers of almost every successful call.
    static let okTrailers = HeaderBlock(constant: ConstantHeaderBlock([("grpc-status", "0")]))
}

/// A header block built once and never freed, flagged NO_COPY so nghttp2 reads it in place.
///
/// Invariant: the memory is allocated at first use and intentionally never deallocated, so
/// every pointer nghttp2 keeps stays valid for the life of the process; nothing writes to it
/// after `init`. That makes sharing it across event loops safe (`@unchecked Sendable`).
final class ConstantHeaderBlock: @unchecked Sendable {
    let nva: UnsafePointer<nghttp2_nv>
    let count: Int

    init(_ fields: [(String, String)]) {
        let list = UnsafeMutablePointer<nghttp2_nv>.allocate(capacity: fields.count)
        let flags = UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)
        for (index, (name, value)) in fields.enumerated() {
            let nameBytes = ConstantHeaderBlock.copy(name)
            let valueBytes = ConstantHeaderBlock.copy(value)
            list[index] = nghttp2_nv(
                name: nameBytes, value: valueBytes, namelen: name.utf8.count,
                valuelen: value.utf8.count, flags: flags)
        }
        nva = UnsafePointer(list)
        count = fields.count
    }

    private static func copy(_ text: String) -> UnsafeMutablePointer<UInt8> {
        let bytes = Array(text.utf8)
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        pointer.initialize(from: bytes, count: bytes.count)
        return pointer
    }
}
