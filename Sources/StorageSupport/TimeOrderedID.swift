/// Ids for new rows: UUID version 7 (RFC 9562), lower-case. The millisecond prefix puts each new
/// id at the end of its table's primary-key index, so an insert touches the last leaf page
/// rather than a random one: a batch of inserts dirties a few pages instead of one per row,
/// and stays that cheap as the table grows. Orders and Payments both name their rows this way.
public enum TimeOrderedID {
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
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
