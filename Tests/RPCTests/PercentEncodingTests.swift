import Testing
@testable import RPC

@Suite struct PercentEncodingTests {
    @Test func printableAsciiIsUnchanged() {
        #expect(PercentEncoding.encode("order not found: id=42") == "order not found: id=42")
    }

    @Test func percentAndControlAndUnicodeAreEscaped() {
        #expect(PercentEncoding.encode("50%\n") == "50%25%0A")
        #expect(PercentEncoding.encode("☺") == "%E2%98%BA")
    }

    @Test func interopSpecialMessageRoundTrips() {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        let encoded = PercentEncoding.encode(message)
        #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
        #expect(PercentEncoding.decode(encoded) == message)
    }

    @Test func malformedEscapesAreKept() {
        #expect(PercentEncoding.decode("100%") == "100%")
        #expect(PercentEncoding.decode("%zz%4") == "%zz%4")
        #expect(PercentEncoding.decode("%41%42") == "AB")
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        #expect(PercentEncoding.decode("%FF") == "\u{FFFD}")
    }
}
