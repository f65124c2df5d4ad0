import NIOCore

/// A task executor that runs jobs on one NIO event loop, so a task that prefers it stays on that
/// loop's thread: no hop to start it, none to deliver its result, and none on each `await` of
/// work the loop itself completes (a stream's reads and writes, a channel's I/O).
///
/// The RPC server runs method handlers on it, and the REST gateway its request handlers; the
/// RPC core does not import NIO, so it lives here, in a module of its own.
///
/// Tasks run this way must not block: a blocking call stalls every connection on the loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop every job runs on.
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
