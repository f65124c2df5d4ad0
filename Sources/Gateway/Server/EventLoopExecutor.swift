import NIOCore

/// A task executor that runs jobs on one NIO event loop, so a task that prefers it stays on
/// that loop's thread: no hop to start it, none when an `await` on the loop's own work resumes.
///
/// The same idea as RPCHTTP2's handler executor; the gateway keeps its own because it does not
/// depend on the transport module (it is handed clients, never a transport).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
