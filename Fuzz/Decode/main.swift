// FuzzDecode: libFuzzer target for the generated decoders (protobuf-c unpack under the decode
// budget, then the copy into Swift). Each input is decoded as every message type; it must
// either decode, and then survive a re-encode and decode unchanged, or throw
// MessageDecodingError. Anything else traps, and libFuzzer keeps the input.
//
// Two builds, one file:
// - `--sanitize=fuzzer` compiles this file as a library (`-parse-as-library`) and links
//   libFuzzer's own `main`, which drives `fuzzDecode`. The global `replay` below is then lazy and
//   never touched.
// - A plain build compiles it as a script, whose top-level code initializes `replay` at start-up:
//   it decodes the files named on the command line, so `FuzzDecode crash-…` reproduces a crash
//   without libFuzzer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Contracts
import InteropContracts
import RPC

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for check in FuzzedTypes.all { check(bytes) }
    return 0
}

let replay: Void = replayFiles(CommandLine.arguments.dropFirst())

func replayFiles(_ paths: ArraySlice<String>) {
    for path in paths {
        guard let file = fopen(path, "rb") else {
            print("FuzzDecode: cannot open \(path)")
            exit(1)
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[..<count] }
        fclose(file)
        _ = bytes.withUnsafeBufferPointer { fuzzDecode($0.baseAddress, $0.count) }
        print("FuzzDecode: \(path): ok")
    }
}
