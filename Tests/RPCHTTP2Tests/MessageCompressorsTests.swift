import RPC
import Testing
@testable import RPCHTTP2

/// The zlib codec: round trips, streams other zlib users made, the size limit after inflating
/// (zip bombs), and corrupt input.
@Suite struct MessageCompressorsTests {
    private static let megabyte = 1 << 20

    /// Bytes that compress somewhat but not trivially.
    private static func sample(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 * 7919) >> 5 ^ $0 % 13) }
    }

    @Test(arguments: CompressionAlgorithm.allCases, [0, 1, 1000, 300_000])
    func roundTrips(algorithm: CompressionAlgorithm, count: Int) throws {
        let compressors = MessageCompressors()
        let message = Self.sample(count: count)
        let compressed = compressors.compress(message, with: algorithm)
        #expect(try compressors.decompress(compressed, with: algorithm, limit: Self.megabyte) == message)
    }

    @Test func framingMatchesTheAlgorithm() {
        let compressors = MessageCompressors()
        #expect(compressors.compress([1, 2, 3], with: .gzip).prefix(2) == [0x1F, 0x8B])
        // zlib header: CM 8 (deflate), 32 KiB window; the header checksum makes it a multiple of 31.
        let deflated = compressors.compress([1, 2, 3], with: .deflate)
        #expect(deflated[0] == 0x78 && (Int(deflated[0]) << 8 | Int(deflated[1])) % 31 == 0)
    }

    /// Streams from Python's gzip and zlib modules (`gzip.compress(..., mtime=0)`, `zlib.compress`).
    @Test func inflatesWhatOtherImplementationsMake() throws {
        let gzip: [UInt8] = [
            31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 200, 47, 74, 73, 45, 202,
            40, 77, 2, 0, 196, 147, 58, 57, 15, 0, 0, 0,
        ]
        let zlib: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 215, 81, 200, 47, 74, 73, 45, 202, 40, 77, 2, 0, 45, 9, 5, 188]
        let compressors = MessageCompressors()
        #expect(try compressors.decompress(gzip, with: .gzip, limit: 100) == Array("hello, orderhub".utf8))
        #expect(try compressors.decompress(zlib, with: .deflate, limit: 100) == Array("hello, orderhub".utf8))
    }

    @Test(arguments: CompressionAlgorithm.allCases)
    func exactlyTheLimitInflates(algorithm: CompressionAlgorithm) throws {
        let compressors = MessageCompressors()
        let message = [UInt8](repeating: 0, count: Self.megabyte)
        let inflated = try compressors.decompress(compressors.compress(message, with: algorithm), with: algorithm, limit: Self.megabyte)
        #expect(inflated.count == Self.megabyte)
    }

    @Test(arguments: CompressionAlgorithm.allCases)
    func oneByteOverTheLimitIsResourceExhausted(algorithm: CompressionAlgorithm) {
        let compressors = MessageCompressors()
        let compressed = compressors.compress([UInt8](repeating: 0, count: Self.megabyte + 1), with: algorithm)
        #expect { try compressors.decompress(compressed, with: algorithm, limit: Self.megabyte) } throws: {
            ($0 as? RPCError)?.code == .resourceExhausted
        }
    }

    /// 64 MiB of zeros in ~64 KiB: inflating stops one byte past the 1 MiB limit.
    @Test func zipBombIsResourceExhaustedAndTheInflaterStaysUsable() throws {
        let compressors = MessageCompressors()
        let bomb = compressors.compress([UInt8](repeating: 0, count: 64 * Self.megabyte), with: .gzip)
        #expect(bomb.count < 128 * 1024)
        #expect { try compressors.decompress(bomb, with: .gzip, limit: Self.megabyte) } throws: {
            ($0 as? RPCError)
                == RPCError(
                    code: .resourceExhausted,
                    message: "received message after decompression larger than max (1048576)")
        }
        let next = compressors.compress(Self.sample(count: 500), with: .gzip)
        #expect(try compressors.decompress(next, with: .gzip, limit: Self.megabyte) == Self.sample(count: 500))
    }

    @Test func corruptInputIsInternal() throws {
        let compressors = MessageCompressors()
        let good = compressors.compress(Self.sample(count: 5000), with: .gzip)
        var flipped = good
        flipped[good.count / 2] ^= 0xFF
        let cases: [[UInt8]] = [
            [],  // nothing at all
            Array("not compressed".utf8),  // no gzip header
            Array(good.dropLast(10)),  // truncated
            good + [0],  // bytes after the end of the stream
            flipped,  // damaged in the middle (CRC or data error)
            compressors.compress([1, 2, 3], with: .deflate),  // the other framing
        ]
        for input in cases {
            #expect { try compressors.decompress(input, with: .gzip, limit: Self.megabyte) } throws: {
                ($0 as? RPCError)?.code == .internal
            }
        }
        #expect(try compressors.decompress(good, with: .gzip, limit: Self.megabyte) == Self.sample(count: 5000))
    }
}
