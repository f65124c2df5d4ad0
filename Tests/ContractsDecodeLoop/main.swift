// contracts-decode-loop: decodes malformed, random and mutated input as every generated message
// type, for `make asan` (built with `swift build --sanitize=address`). Every input must either
// decode (and then survive a re-encode and decode unchanged) or throw MessageDecodingError.
//
//   contracts-decode-loop [ITERATIONS]     random and mutated inputs per type (default 3000)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RPC

/// How the inputs went.
struct Tally {
    var decoded = 0, refused = 0, failures = 0

    mutating func run(_ decoder: Decoder, _ bytes: [UInt8]) {
        do {
            try decoder.check(bytes)
            decoded += 1
        } catch is MessageDecodingError {
            refused += 1
        } catch {
            failures += 1
            print("FAIL \(decoder.name): \(error) for \(bytes.prefix(64))")
        }
    }
}

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 3_000
var random = SeededGenerator(seed: 0x5EED_0F_DEC0DE)
var tally = Tally()
for decoder in Decoder.all {
    for input in HostileInputs.crafted { tally.run(decoder, input) }
    for input in HostileInputs.amplifying { tally.run(decoder, input) }
    for _ in 0..<iterations {
        tally.run(decoder, HostileInputs.randomBytes(using: &random))
        tally.run(decoder, HostileInputs.mutated(using: &random))
    }
}

let total = tally.decoded + tally.refused + tally.failures
print("\(total) decodes: \(tally.decoded) decoded, \(tally.refused) refused, \(tally.failures) failed")
exit(tally.failures == 0 ? 0 : 1)
