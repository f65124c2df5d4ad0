import Contracts
import RPC

/// One `WatchOrder` call running in its own task, handed over as Server-Sent Events.
///
/// The handler awaits `first()` before answering, so an unknown order is a plain 404 JSON error
/// rather than a 200 stream; the rest of the events (later states, heartbeats, a late failure)
/// go through `events`, consumed by the response body.
struct OrderEventStream: Sendable {
    /// What the response body writes next.
    enum Event: Sendable {
        case order(Order)
        case heartbeat
        /// The call failed after the stream had started.
        case failed(any Error)
    }

    private let firstOrder: AsyncThrowingStream<Order, any Error>
    private let continuation: AsyncStream<Event>.Continuation
    private let task: Task<Void, Never>
    /// Every event after the first order; ends when the call ends.
    let events: AsyncStream<Event>

    /// Starts the call. `options` carries no deadline: the stream lasts until the order is
    /// final or the client leaves.
    init(orders: OrdersClient, id: String, options: CallOptions) {
        let (firstOrder, first) = AsyncThrowingStream<Order, any Error>.makeStream()
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.firstOrder = firstOrder
        self.events = events
        self.continuation = continuation
        self.task = Task {
            do {
                let sentFirst = try await orders.watchOrder(WatchOrderRequest(id: id), options: options) { response in
                    var sent = false
                    do {
                        for try await order in response.messages {
                            if sent {
                                continuation.yield(.order(order))
                            } else {
                                sent = true
                                first.yield(order)
                                first.finish()
                            }
                        }
                    } catch where sent {
                        continuation.yield(.failed(error))
                    }
                    return sent
                }
                if !sentFirst {
                    first.finish(throwing: RPCError.internal("WatchOrder ended without sending the order"))
                }
            } catch {
                // Only a failure before the first order reaches here (NOT_FOUND, UNAVAILABLE…).
                first.finish(throwing: error)
            }
            continuation.finish()
        }
        let task = self.task
        continuation.onTermination = { _ in task.cancel() }
    }

    /// The order's current state, or the call's error (e.g. NOT_FOUND).
    func first() async throws -> Order {
        do {
            for try await order in firstOrder { return order }
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        throw CancellationError()
    }

    /// Queues a heartbeat comment; ignored once the call has ended.
    func heartbeat() {
        continuation.yield(.heartbeat)
    }

    /// Stops the call (the client left).
    func cancel() {
        task.cancel()
        continuation.finish()
    }
}
