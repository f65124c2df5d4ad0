import Testing
import RPC

@Suite struct CompressionAlgorithmTests {
    @Test func namesOnTheWire() {
        #expect(CompressionAlgorithm(name: "gzip") == .gzip)
        #expect(CompressionAlgorithm(name: "deflate") == .deflate)
        #expect(CompressionAlgorithm(name: "identity") == nil)
        #expect(CompressionAlgorithm(name: "GZIP") == nil)
    }

    @Test func acceptedSkipsUnknownNamesAndSpaces() {
        #expect(CompressionAlgorithm.accepted(in: "identity,deflate, gzip") == [.deflate, .gzip])
        #expect(CompressionAlgorithm.accepted(in: " br , gzip\t") == [.gzip])
        #expect(CompressionAlgorithm.accepted(in: "") == [])
        #expect(CompressionAlgorithm.accepted(in: CompressionAlgorithm.acceptEncodingHeader) == Set(CompressionAlgorithm.allCases))
        #expect(CompressionAlgorithm.accepted(in: "gzip,,deflate,") == [.gzip, .deflate])
        #expect(CompressionAlgorithm.accepted(in: "gzipx, xdeflate, gz ip, GZIP") == [])
        #expect(CompressionAlgorithm.accepted(in: "\tdeflate  ") == [.deflate])
        #expect(CompressionAlgorithm.accepted(in: "identity, gzip, deflate".dropFirst(10)) == [.gzip, .deflate])
    }

    @Test func responseEncodingMirrorsTheRequestWhenAccepted() {
        let automatic = MessageCompression.automatic
        #expect(automatic.responseEncoding(request: .gzip, accepted: [.gzip, .deflate]) == .gzip)
        #expect(automatic.responseEncoding(request: .deflate, accepted: [.gzip]) == nil)
        #expect(automatic.responseEncoding(request: nil, accepted: [.gzip]) == nil)
        #expect(MessageCompression.preferred(.gzip).responseEncoding(request: nil, accepted: [.gzip]) == .gzip)
        #expect(MessageCompression.preferred(.deflate).responseEncoding(request: .gzip, accepted: [.gzip]) == .gzip)
    }

    @Test func smallMessagesAreNotCompressedAutomatically() {
        let minimum = MessageCompression.minimumSize
        #expect(!MessageCompression.automatic.compresses(length: minimum - 1, encoding: .gzip))
        #expect(MessageCompression.automatic.compresses(length: minimum, encoding: .gzip))
        #expect(!MessageCompression.automatic.compresses(length: 1 << 20, encoding: nil))
        #expect(!MessageCompression.disabled.compresses(length: 1 << 20, encoding: .gzip))
        #expect(MessageCompression.preferred(.gzip).compresses(length: 1, encoding: .deflate))
    }
}
