import NIOCore

/// Where an output pump's bookkeeping lives: one per connection handler.
struct OutputPumpState {
    /// Inside a read batch: output waits for its end (`channelReadComplete`).
    var reading = false
    /// A drain is queued on the event loop for this tick.
    var drainScheduled = false
    /// Bytes were written to the channel and not flushed yet.
    var unflushed = false
    /// The last buffer written, kept for the next pass: once the channel has written it out,
    /// this is its only reference and it is reused without allocating.
    var spare: ByteBuffer?

    /// A spare buffer larger than this is dropped rather than kept between passes: an idle
    /// connection holds at most this much.
    static let spareLimit = 16 * 1024
}

/// Moves a connection's nghttp2 output to its channel, for the server and the client handler
/// alike: everything nghttp2 queued goes out in as few writes as fit, at most one flush per
/// pass, and output submitted outside a read batch is drained once per event-loop tick.
///
/// Loop-confined, like the handlers that conform; `SendableMetatype` because the drain it
/// schedules names the conforming type inside a `@Sendable` closure.
protocol OutputPump: AnyObject, SendableMetatype {
    var session: Nghttp2Session! { get }
    var context: ChannelHandlerContext? { get }
    var output: OutputPumpState { get set }
    /// The connection is closing: nothing more is written.
    var outputClosed: Bool { get }
    /// nghttp2 failed to produce output (out of memory, a callback failed): end the connection.
    func close()
    /// Runs after every pass: the owner ends the connection once its session is done.
    func outputWritten()
}

extension OutputPump {
    /// Something was submitted outside a read batch: drain once this loop tick.
    func requestFlush() {
        guard !output.reading, !output.drainScheduled, let context else { return }
        output.drainScheduled = true
        let me = LoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            me.run { handler in
                handler.output.drainScheduled = false
                handler.writeOutput(flush: true)
            }
        }
    }

    /// Drains nghttp2's output into the channel while it is writable (256 KiB per write), and
    /// flushes when `flush` says so.
    func writeOutput(flush: Bool) {
        guard let context, session != nil, !outputClosed else { return }
        while context.channel.isWritable {
            // clear() allocates afresh only while the channel still holds the spare.
            var buffer = output.spare.take() ?? context.channel.allocator.buffer(capacity: 4096)
            buffer.clear()
            guard session.drain(into: &buffer, limit: 256 * 1024) else { return close() }
            if buffer.capacity <= OutputPumpState.spareLimit { output.spare = buffer }
            guard buffer.readableBytes > 0 else { break }
            context.write(NIOAny(buffer), promise: nil)
            output.unflushed = true
        }
        if flush { flushOutput() }
        outputWritten()
    }

    /// Flushes what was written and not flushed yet.
    func flushOutput() {
        guard output.unflushed, let context else { return }
        output.unflushed = false
        context.flush()
    }
}
