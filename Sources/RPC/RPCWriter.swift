/// Writes messages into a stream: a server's responses, or a client's requests.
///
/// `write` suspends while the transport's buffers are full (flow control), so a fast writer
/// cannot outrun a slow peer. It throws once the call has ended.
public struct RPCWriter<Element: Sendable>: Sendable {
    private let writeElement: @Sendable (Element) async throws -> Void

    public init(_ writeElement: @escaping @Sendable (Element) async throws -> Void) {
        self.writeElement = writeElement
    }

    public func write(_ element: Element) async throws {
        try await writeElement(element)
    }

    /// Writes each element in order.
    public func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await write(element) }
    }

    /// A writer of `T` that converts each value and writes it here.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (T) throws -> Element) -> RPCWriter<T> {
        let target = self
        return RPCWriter<T> { try await target.write(transform($0)) }
    }
}
