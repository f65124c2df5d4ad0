import NIOCore

/// Carries a loop-confined value into `@Sendable` code (a handler's task, a timer) and runs
/// code with it back on its event loop.
///
/// `@unchecked Sendable` because:
/// - the value is only ever touched inside `run`, which executes on `eventLoop`: inline when
///   the caller is already on the loop, otherwise through `eventLoop.execute`;
/// - `eventLoop` is itself Sendable and immutable here.
struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    private let value: Value
    let eventLoop: any EventLoop

    init(_ value: Value, eventLoop: any EventLoop) {
        self.value = value
        self.eventLoop = eventLoop
    }

    /// Runs `body` with the value on its loop: now if already there, else soon.
    func run(_ body: @escaping @Sendable (Value) -> Void) {
        if eventLoop.inEventLoop {
            body(value)
        } else {
            eventLoop.execute { body(self.value) }
        }
    }

    /// The value, when the caller is on the loop; nil elsewhere.
    var valueIfOnLoop: Value? {
        eventLoop.inEventLoop ? value : nil
    }
}
