internal import CNghttp2
import RPC

/// Header fields to submit, packed into one byte buffer; the `nghttp2_nv` array is built on
/// the stack during the submit call. nghttp2 copies names and values during that call (no
/// NO_COPY flags on the packed fields), so the storage lives only for that call; a block kept
/// and refilled (`removeAll`) allocates nothing once its buffers have grown. Constant fields
/// (`ConstantHeaderBlock`, flagged NO_COPY) may come before and after the packed ones.
struct HeaderBlock {
    private var storage: [UInt8] = []
    private var ranges: [(name: Range<Int>, value: Range<Int>)] = []
    /// Prebuilt constant fields sent before the packed ones (pseudo-headers first).
    private var prefix: ConstantHeaderBlock?
    /// Prebuilt constant fields sent after the packed ones.
    private var suffix: ConstantHeaderBlock?

    init(capacity: Int = 8) {
        storage.reserveCapacity(capacity * 24)
        ranges.reserveCapacity(capacity)
    }

    private init(constant: ConstantHeaderBlock) {
        self.prefix = constant
    }

    /// Empties the block, keeping its buffers, and sets the constant fields around what is added next.
    mutating func removeAll(prefix: ConstantHeaderBlock? = nil, suffix: ConstantHeaderBlock? = nil) {
        storage.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        self.prefix = prefix
        self.suffix = suffix
    }

    /// How many fields the block submits.
    var count: Int { (prefix?.count ?? 0) + ranges.count + (suffix?.count ?? 0) }

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

    /// Adds the call's custom metadata as `Metadata.headerFields` lists it, without the list.
    mutating func add(metadata: Metadata) {
        metadata.forEachHeaderField { add($0, $1) }
    }

    /// `grpc-timeout`, its digits written straight into the block (`GRPCTimeout.encode`).
    mutating func addTimeout(_ timeout: Duration) {
        let nameStart = storage.count
        storage.append(contentsOf: "grpc-timeout".utf8)
        let valueStart = storage.count
        let (amount, unit) = GRPCTimeout.encode(timeout)
        var divisor: Int64 = 1
        while divisor <= amount / 10 { divisor *= 10 }
        while divisor > 0 {
            storage.append(UInt8(ascii: "0") + UInt8((amount / divisor) % 10))
            divisor /= 10
        }
        storage.append(unit)
        ranges.append((nameStart..<valueStart, valueStart..<storage.count))
    }

    /// The fields as nghttp2 receives them, in order: for tests.
    var fields: [(name: String, value: String)] {
        withNVArray { list, count in
            (0..<count).map { index in
                let field = list[index]
                return (
                    String(decoding: UnsafeBufferPointer(start: field.name, count: field.namelen), as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(start: field.value, count: field.valuelen), as: UTF8.self)
                )
            }
        }
    }

    func withNVArray<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        if let prefix, ranges.isEmpty, suffix == nil { return body(prefix.nva, prefix.count) }
        return storage.withUnsafeBufferPointer { bytes in
            // An empty storage has no base address; any non-null pointer does for zero-length fields.
            let base = UnsafeMutablePointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: count) { list in
                var index = 0
                if let prefix {
                    for field in 0..<prefix.count { list.initializeElement(at: index, to: prefix.nva[field]); index += 1 }
                }
                for range in ranges {
                    list.initializeElement(
                        at: index,
                        to: nghttp2_nv(
                            name: base + range.name.lowerBound, value: base + range.value.lowerBound,
                            namelen: range.name.count, valuelen: range.value.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                    index += 1
                }
                if let suffix {
                    for field in 0..<suffix.count { list.initializeElement(at: index, to: suffix.nva[field]); index += 1 }
                }
                // nghttp2_nv is a trivial C struct: nothing to deinitialize.
                return body(UnsafePointer(list.baseAddress!), index)
            }
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

    /// A client request's constant pseudo-headers, which go first: `:scheme` says whether the
    /// connection is cleartext or TLS.
    static func requestPrefix(tls: Bool) -> ConstantHeaderBlock { tls ? requestPrefixTLS : requestPrefixCleartext }
    private static let requestPrefixCleartext = ConstantHeaderBlock([(":method", "POST"), (":scheme", "http")])
    private static let requestPrefixTLS = ConstantHeaderBlock([(":method", "POST"), (":scheme", "https")])
    /// A client request's constant fields after the per-call ones.
    static let requestSuffix = ConstantHeaderBlock([
        ("content-type", "application/grpc"), ("te", "trailers"),
        ("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader), ("user-agent", "orderhub-rpc-swift"),
    ])
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
