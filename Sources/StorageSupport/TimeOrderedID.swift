/// Ids for new rows: UUID version 7 (RFC 9562), lower-case. The millisecond prefix puts each new
/// id at the end of its table's primary-key index, so an insert touches the last leaf page
/// rather than a random one: a batch of inserts dirties a few pages instead of one per row,
/// and stays that cheap as the table grows. Orders and Payments both name their rows this way.
public enum TimeOrderedID {
    /// Byte offsets before which the text form has a dash (8-4-4-4-12 digits).
    private static let dashesBefore = [4, 6, 8, 10]

    /// A new id for a row made at `now` (Unix milliseconds).
    public static func make(now: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(now: now, using: &generator)
    }

    /// A new id from `generator`'s randomness.
    public static func make(now: Int64, using generator: inout some RandomNumberGenerator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let millis = UInt64(max(0, now))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * index)) }
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        for index in 6..<16 {
            let word = index < 11 ? random.0 : random.1
            bytes[index] = UInt8(truncatingIfNeeded: word >> (8 * (index % 8)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return LowercaseHex.text(of: bytes, dashesBefore: dashesBefore)
    }
}

/// Lower-case hexadecimal text of bytes. Every order and payment id and every payload hash is
/// written this way, so it builds the text in one byte array rather than a String per byte
/// (which cost 2 % of Orders' CPU per created order).
public enum LowercaseHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two digits per byte of `bytes`; a `-` goes before each byte whose offset is in
    /// `dashesBefore` (ascending). Not generic: called from other modules, a generic version
    /// runs unspecialised, through witness tables, and costs more than the Strings it replaced.
    public static func text(of bytes: [UInt8], dashesBefore: [Int] = []) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count * 2 + dashesBefore.count)
        let digits = Self.digits
        var nextDash = 0
        for offset in bytes.indices {
            if nextDash < dashesBefore.count, dashesBefore[nextDash] == offset {
                utf8.append(UInt8(ascii: "-"))
                nextDash += 1
            }
            let byte = bytes[offset]
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
