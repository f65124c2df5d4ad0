import Synchronization

/// Hands the handler created in the channel initializer to the connecting task.
final class HandlerSlot: Sendable {
    private let value = Mutex<LoopBound<ClientConnectionHandler>?>(nil)

    func store(_ handler: LoopBound<ClientConnectionHandler>) {
        value.withLock { $0 = handler }
    }

    func load() -> LoopBound<ClientConnectionHandler>? {
        value.withLock { $0 }
    }
}
