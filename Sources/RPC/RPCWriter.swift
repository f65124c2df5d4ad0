/// Writes messages into a stream: a server's responses, or a client's requests.
///
/// `write` suspends while the transport's buffers are full (flow control), so a fast writer
/// cannot outrun a slow peer. It throws once the call has ended.
public struct RPCWriter<Element: Sendable>: Sendable {
    private let writeElement: @Sendable (Element) async throws -> Void
    private let sendHeaders: (@Sendable (Metadata) async throws -> Void)?

    /// `sendInitialMetadata` is the call's, for a server's response writer; nil elsewhere.
    public init(
        _ writeElement: @escaping @Sendable (Element) async throws -> Void,
        sendInitialMetadata: (@Sendable (Metadata) async throws -> Void)? = nil
    ) {
        self.writeElement = writeElement
        self.sendHeaders = sendInitialMetadata
    }

    /// For a server's responses: sends the response headers now, before any message, so the
    /// client knows the call was accepted even if no message follows for a long time (a feed
    /// with nothing new). Does nothing on other writers, or after the headers went out.
    public func sendInitialMetadata(_ metadata: Metadata = [:]) async throws {
        try await sendHeaders?(metadata)
    }

    /// Writes one element; suspends while flow control holds it back, throws once the call has ended.
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
        return RPCWriter<T>({ try await target.write(transform($0)) }, sendInitialMetadata: sendHeaders)
    }
}
