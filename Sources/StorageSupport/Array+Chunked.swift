extension Array {
    /// Consecutive slices of at most `size` elements (for multi-row statements under a
    /// database's bind limit).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
