/// The `grpc-timeout` header: 1 to 8 ASCII digits and a unit, `H` hours, `M` minutes,
/// `S` seconds, `m` milliseconds, `u` microseconds, `n` nanoseconds.
///
/// ```swift
/// GRPCTimeout.parse("250m")             // .milliseconds(250)
/// GRPCTimeout.format(.seconds(30))      // "30000000u"
/// ```
public enum GRPCTimeout {
    /// The most digits a value may have.
    public static let maxDigits = 8

    /// Parses a header value; nil when it is malformed.
    public static func parse(_ value: some StringProtocol) -> Duration? {
        let utf8 = Array(value.utf8)
        guard utf8.count >= 2, utf8.count <= maxDigits + 1, let unitByte = utf8.last else { return nil }
        var amount: Int64 = 0
        for byte in utf8.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            amount = amount * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        switch unitByte {
        case UInt8(ascii: "H"): return .seconds(amount * 3600)
        case UInt8(ascii: "M"): return .seconds(amount * 60)
        case UInt8(ascii: "S"): return .seconds(amount)
        case UInt8(ascii: "m"): return .milliseconds(amount)
        case UInt8(ascii: "u"): return .microseconds(amount)
        case UInt8(ascii: "n"): return .nanoseconds(amount)
        default: return nil
        }
    }

    /// Formats a timeout with the finest unit whose value fits in 8 digits, rounding up so the
    /// peer never sees a shorter timeout than the caller asked for. Negative becomes `0n`;
    /// anything beyond 99999999 hours is capped there.
    public static func format(_ duration: Duration) -> String {
        let (amount, unit) = encode(duration)
        return "\(amount)\(Character(Unicode.Scalar(unit)))"
    }

    /// What `format` writes, as the amount and the unit's ASCII byte, for a caller that writes
    /// the digits into its own buffer (the client's request headers): no String, no array.
    public static func encode(_ duration: Duration) -> (amount: Int64, unit: UInt8) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, duration > .zero else { return (0, UInt8(ascii: "n")) }
        let limit: Int64 = 99_999_999
        // Beyond ~292 years nanoseconds overflow Int64; such a timeout is "forever" anyway.
        guard seconds < 9_000_000_000 else { return (limit, UInt8(ascii: "H")) }
        let nanoseconds = seconds * 1_000_000_000 + (attoseconds + 999_999_999) / 1_000_000_000
        // Finest first: nanoseconds, then micro-, milli-, seconds, minutes, hours (a switch,
        // not a table: this runs for every call, and a table literal may allocate).
        var size: Int64 = 1
        for step in 0..<6 {
            let value = (nanoseconds + size - 1) / size
            let (unit, next): (Unicode.Scalar, Int64) =
                switch step {
                case 0: ("n", 1_000)
                case 1: ("u", 1_000)
                case 2: ("m", 1_000)
                case 3: ("S", 60)
                case 4: ("M", 60)
                default: ("H", 1)
                }
            if value <= limit { return (value, UInt8(ascii: unit)) }
            size *= next
        }
        return (limit, UInt8(ascii: "H"))
    }
}
