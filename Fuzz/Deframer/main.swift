// FuzzDeframer: libFuzzer target for the gRPC message deframer and the request-header rules.
//
// Build:  swift build -c debug --product FuzzDeframer --sanitize=fuzzer --sanitize=address
// Run:    SWIFT_BACKTRACE=enable=no .build/debug/FuzzDeframer -max_total_time=60 Fuzz/Corpus/Deframer
// Without the fuzzer sanitizer the same binary replays the files named on the command line
// (a regression run of the corpus or of a crash file).
//
// Input layout: byte 0 picks the receive limit (4 << (b % 21) bytes); bytes 1–2 (big-endian)
// are the length of a header section of `name: value` lines; the rest is the DATA bytes,
// fed to the deframer in chunks whose sizes cycle through the header-section bytes.
#if canImport(Glibc)
import Glibc
#endif
import RPC

func fuzzOne(_ bytes: [UInt8]) {
    guard bytes.count >= 3 else { return }
    let limit = 4 << (Int(bytes[0]) % 21)
    let headerLength = min(Int(bytes[1]) << 8 | Int(bytes[2]), bytes.count - 3)
    let headerBytes = Array(bytes[3..<(3 + headerLength)])
    let body = Array(bytes[(3 + headerLength)...])

    var validator = RequestHeaderValidator(config: .init(maxHeaderListSize: 8192))
    for line in headerBytes.split(separator: UInt8(ascii: "\n")) {
        let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(decoding: parts[0], as: UTF8.self)
        let value = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
        _ = validator.add(name: name, value: value)
        _ = GRPCTimeout.parse(value)
        _ = PercentEncoding.decode(value)
        _ = Base64.decode(value)
    }
    var encoding: String?
    if case .call(let head) = validator.classify() {
        encoding = head.encoding
        if let timeout = head.timeout { precondition(GRPCTimeout.parse(GRPCTimeout.format(timeout)).map { $0 >= timeout } ?? false) }
    }

    var deframer = MessageDeframer(maxMessageSize: limit, encoding: encoding)
    var offset = 0
    var chunkIndex = 0
    var total = 0
    while offset < body.count {
        let size = headerBytes.isEmpty ? body.count : max(1, Int(headerBytes[chunkIndex % headerBytes.count]))
        chunkIndex += 1
        let chunk = Array(body[offset..<min(offset + size, body.count)])
        offset += chunk.count
        do {
            try deframer.append(chunk) { message, _ in
                precondition(message.count <= limit, "a message over the limit got through")
                total += message.count
            }
        } catch {
            precondition([.resourceExhausted, .unimplemented, .internal].contains(error.code))
            return
        }
        precondition(deframer.bufferedByteCount <= limit + MessageFramer.prefixLength, "buffered past the limit")
    }
    let text = String(decoding: body.prefix(64), as: UTF8.self)
    precondition(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
    precondition(Base64.decode(Base64.encode(body)) == body)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeframer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

// A declaration, not a statement, so the file also builds as a library for libFuzzer (where
// this never runs); in a plain build it replays each file named on the command line.
let replay: Void = replayFiles(CommandLine.arguments.dropFirst())

func replayFiles(_ paths: ArraySlice<String>) {
    for path in paths {
        guard let file = fopen(path, "rb") else {
            print("FuzzDeframer: cannot open \(path)")
            exit(1)
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[..<count] }
        fclose(file)
        fuzzOne(bytes)
        print("FuzzDeframer: \(path): ok")
    }
}
