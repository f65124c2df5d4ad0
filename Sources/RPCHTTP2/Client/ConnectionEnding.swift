import Synchronization

/// How a client connection stopped taking calls, written by its handler on the event loop and
/// read by its subchannel from any thread: whether a working HTTP/2 server ended it with a
/// graceful GOAWAY. Needed when the end comes before the subchannel has recorded the
/// connection (a short maximum age on a busy machine), when only the channel is left to look at.
final class ConnectionEnding: Sendable {
    private let graceful = Atomic<Bool>(false)

    /// The server sent GOAWAY(NO_ERROR) after its SETTINGS.
    func markGraceful() {
        graceful.store(true, ordering: .releasing)
    }

    /// Whether `markGraceful` was called.
    var isGraceful: Bool {
        graceful.load(ordering: .acquiring)
    }
}
