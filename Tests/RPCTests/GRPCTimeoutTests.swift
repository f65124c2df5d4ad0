import Testing
@testable import RPC

@Suite struct GRPCTimeoutTests {
    @Test(arguments: [
        ("1H", Duration.seconds(3600)), ("2M", .seconds(120)), ("3S", .seconds(3)), ("250m", .milliseconds(250)),
        ("7u", .microseconds(7)), ("99999999n", .nanoseconds(99_999_999)), ("0m", .zero),
    ])
    func parsesEveryUnit(text: String, expected: Duration) {
        #expect(GRPCTimeout.parse(text) == expected)
    }

    @Test(arguments: ["", "m", "5", "123456789S", "-1S", "1x", "1.5S", " 1S", "1s"])
    func rejectsMalformed(text: String) {
        #expect(GRPCTimeout.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.nanoseconds(5), "5n"), (.milliseconds(250), "250000u"), (.seconds(30), "30000000u"),
        (.seconds(3600), "3600000m"), (.seconds(360_000), "360000S"), (.seconds(1_000_000_000), "16666667M"),
    ])
    func formatsWithTheFinestUnitThatFits(duration: Duration, expected: String) {
        #expect(GRPCTimeout.format(duration) == expected)
    }

    @Test func formatRoundsUpAndNeverShortens() throws {
        let duration = Duration.seconds(100) + .nanoseconds(1)
        let parsed = try #require(GRPCTimeout.parse(GRPCTimeout.format(duration)))
        #expect(parsed >= duration)
    }

    @Test func formatClampsExtremes() {
        #expect(GRPCTimeout.format(.seconds(-1)) == "0n")
        #expect(GRPCTimeout.format(.seconds(Int64.max)) == "99999999H")
    }

    @Test(arguments: [
        Duration.nanoseconds(1), .nanoseconds(99_999_999), .nanoseconds(100_000_001), .milliseconds(250), .seconds(30),
        .seconds(99), .seconds(100) + .nanoseconds(1), .seconds(3600), .seconds(1_000_000_000), .seconds(-5), .zero,
        .seconds(Int64.max),
    ])
    func encodeIsWhatFormatWrites(duration: Duration) {
        let (amount, unit) = GRPCTimeout.encode(duration)
        #expect(GRPCTimeout.format(duration) == "\(amount)\(Character(Unicode.Scalar(unit)))")
        #expect((0...99_999_999).contains(amount))
    }
}
