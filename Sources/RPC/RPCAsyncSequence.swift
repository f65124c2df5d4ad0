/// A type-erased, `Sendable` async sequence of messages: the request stream a server handler
/// reads, and the response stream a client reads.
///
/// A sequence that ends because the call failed throws the call's `RPCError`.
public struct RPCAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// A sequence can end with any error, usually the call's `RPCError`.
    public typealias Failure = any Error

    /// Pulls the next element; `nil` at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let nextElement: () async throws -> Element?

        init(_ nextElement: @escaping () async throws -> Element?) {
            self.nextElement = nextElement
        }

        /// The next element; nil once the sequence has ended. Throws when the call failed.
        public mutating func next() async throws -> Element? {
            try await nextElement()
        }
    }

    private let makeIterator: @Sendable () -> AsyncIterator

    /// Wraps any sendable async sequence of `Element`.
    public init<Base: AsyncSequence & Sendable>(wrapping base: Base) where Base.Element == Element {
        self.makeIterator = {
            let box = IteratorBox(base.makeAsyncIterator())
            return AsyncIterator { try await box.next() }
        }
    }

    /// Builds a sequence from a closure that yields the next element, or `nil` at the end.
    /// Each iterator made from the sequence calls `makeNext` once to get its own closure.
    public init(makeNext: @escaping @Sendable () -> (() async throws -> Element?)) {
        self.makeIterator = { AsyncIterator(makeNext()) }
    }

    /// A new iterator. A call's request or response stream is single-pass: iterate it once, from one task.
    public func makeAsyncIterator() -> AsyncIterator { makeIterator() }

    /// Transforms each element; an error thrown by `transform` ends the iteration with it.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> RPCAsyncSequence<T> {
        let source = self
        return RPCAsyncSequence<T>(makeNext: {
            var iterator = source.makeAsyncIterator()
            return {
                guard let element = try await iterator.next() else { return nil }
                return try transform(element)
            }
        })
    }

    /// An empty sequence.
    public static var empty: RPCAsyncSequence<Element> {
        RPCAsyncSequence(makeNext: { { nil } })
    }

    /// A sequence of the given elements, in order.
    public static func of(_ elements: [Element]) -> RPCAsyncSequence<Element> {
        RPCAsyncSequence(makeNext: {
            var remaining = elements[...]
            return { remaining.popFirst() }
        })
    }
}

/// Holds a mutable iterator so a closure can advance it.
private final class IteratorBox<Base: AsyncIteratorProtocol> {
    private var base: Base

    init(_ base: Base) {
        self.base = base
    }

    func next() async throws -> Base.Element? {
        try await base.next()
    }
}
