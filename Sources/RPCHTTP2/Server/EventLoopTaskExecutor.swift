import NIOCore

/// A task executor that runs jobs on one NIO event loop, so a handler's task started with this
/// preference runs on its connection's loop: no thread hop to start it, none to deliver its
/// result, and none on each `await` of a stream it reads or writes.
///
/// Handlers run this way must not block: a blocking call stalls every connection on the loop.
final class EventLoopTaskExecutor: TaskExecutor {
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
