import FoundationEssentials
import NIOCore

/// Answers the requests `RESTFastPath` serves right in the connection's pipeline, and passes
/// every other request on to Hummingbird (the next handlers), keeping HTTP/1.1's rule that
/// responses go out in the order the requests came, whichever side answers them.
///
/// On HTTP/1.1 it sits after NIO's HTTP/1 codec, `HTTP1KeepAliveHandler` and the read timeouts,
/// before the HTTP-types codec and Hummingbird's connection handler (`HTTP1Messages`): a fast
/// request is never converted to HTTP types, and what it writes passes the same handlers
/// towards the socket as the router's responses. On an HTTP/2 stream it sits behind the
/// stream's HTTP-types codec (`HTTPTypesMessages`). Requests in flight on a
/// connection form a queue: an answered fast request waits for the ones ahead of it; a
/// request for the router waits (held, with reading paused) until no fast request is ahead,
/// because the router writes its response as soon as it has it. The router's own requests
/// are a prefix of the queue, so a response it writes is always the front one's.
///
/// Each fast request is served by `RESTFastPath.respond` from callbacks on the connection's
/// event loop (no task per request); its answer comes back to the handler on the loop.
/// Confined to its channel's event loop, like every NIO handler.
/// One request in flight on a fast-path connection, in arrival order. Outside the generic
/// handler (and holding held parts as `NIOAny`) so that its layout is known when compiling:
/// a type nested in a generic class is laid out at run time, and every copy of it goes
/// through value witnesses.
private enum FastPathEntry {
    /// Handed to the router, which answers it.
    case passedOn
    /// Served here; the answer once it is ready, and whether to close after it.
    case fast(answer: RESTFastPath.Answer?, close: Bool)
    /// For the router, waiting for the fast requests ahead; its parts so far.
    case held([NIOAny])

    var isFast: Bool {
        if case .fast = self { true } else { false }
    }
}

/// What the parts being read belong to.
private enum FastPathReading {
    /// Between requests.
    case idle
    /// A fast request's body, gathered until its end.
    case fast(RESTFastPath.Route, RESTFastPath.Head, ByteBuffer?)
    /// A request handed to the router as its parts come.
    case passing
    /// A request held in the last queue entry.
    case holding
}

final class RESTFastPathHandler<Messages: FastPathMessages>: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = Messages.RequestPart
    typealias InboundOut = Messages.RequestPart
    typealias OutboundIn = Messages.ResponsePart
    typealias OutboundOut = Messages.ResponsePart

    /// Fast requests one connection may have in flight; reading pauses beyond (pipelining).
    private static var maxInFlight: Int { 16 }

    private let path: RESTFastPath
    private var queue = CircularBuffer<FastPathEntry>()
    /// How many of `queue`'s entries are held and fast: `read` asks for every read, and a
    /// count costs nothing where a scan of the queue costs a pass over it.
    private var heldCount = 0
    private var fastCount = 0
    private var reading = FastPathReading.idle
    /// Entries whose ids the answers carry: `queue`'s first entry is number `firstID`.
    private var firstID = 0
    private var readPending = false
    /// A quiesce event (graceful shutdown) kept until the fast requests are answered.
    private var quiesce: Any?
    private var context: ChannelHandlerContext?
    private var date = (second: Int64(-1), text: "")
    /// A fast request said `Connection: close`: nothing after it is read or answered.
    private var closing = false

    init(path: RESTFastPath) {
        self.path = path
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if closing, case .idle = reading { return }
        switch (reading, Messages.split(part)) {
        case (.idle, .head(let head)):
            if let head = Messages.head(head), let route = path.route(head) {
                reading = .fast(route, head, nil)
                closing = head.headers[.connection]?.lowercased().contains("close") == true
                queue.append(.fast(answer: nil, close: closing))
                fastCount += 1
            } else if heldCount == 0 && fastCount == 0 {
                reading = .passing
                queue.append(.passedOn)
                context.fireChannelRead(data)
            } else {
                reading = .holding
                queue.append(.held([data]))
                heldCount += 1
            }
        case (.fast(let route, let head, nil), .body(let chunk)):
            reading = .fast(route, head, chunk)
        case (.fast(let route, let head, var body?), .body(var chunk)):
            reading = .idle  // drops the buffer's other reference while appending
            body.writeBuffer(&chunk)
            reading = .fast(route, head, body)
        case (.fast(let route, let head, let body), .end):
            reading = .idle
            start(route, head: head, body: body ?? ByteBuffer(), id: firstID + queue.count - 1, context: context)
        case (.passing, let split):
            if case .end = split { reading = .idle }
            context.fireChannelRead(data)
        case (.holding, let split):
            if case .end = split { reading = .idle }
            if case .held(var parts) = queue.last {
                queue[queue.index(before: queue.endIndex)] = .passedOn  // drops the array's other reference while appending
                parts.append(data)
                queue[queue.index(before: queue.endIndex)] = .held(parts)
            }
        default:
            // Not a head where one must be: the router's parser-error handling deals with it.
            context.fireChannelRead(data)
        }
    }

    func read(context: ChannelHandlerContext) {
        // Reading waits while a request is held (its parts would pile up here) or while enough
        // fast requests are in flight.
        if heldCount > 0 || queue.count >= Self.maxInFlight {
            readPending = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Only the router writes through here, for the front entry.
        context.write(data, promise: promise)
        if Messages.isEnd(unwrapOutboundIn(data)), case .passedOn? = queue.first {
            queue.removeFirst()
            firstID += 1
            advance(context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Graceful shutdown: the router closes a connection it thinks idle, so it hears of it
        // once the fast requests are answered.
        if event is ChannelShouldQuiesceEvent, heldCount + fastCount > 0 {
            quiesce = event
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func start(_ route: RESTFastPath.Route, head: RESTFastPath.Head, body: ByteBuffer, id: Int, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        path.respond(to: route, head: head, body: body, remoteAddress: context.channel.remoteAddress, date: httpDate(), loop: loop) {
            answer in
            if loop.inEventLoop {
                handler.value.answered(id: id, answer)
            } else {
                loop.execute { handler.value.answered(id: id, answer) }
            }
        }
    }

    private func answered(id: Int, _ answer: RESTFastPath.Answer) {
        let index = id - firstID
        guard let context, index >= 0, index < queue.count, case .fast(nil, let close) = queue[queue.index(queue.startIndex, offsetBy: index)]
        else { return }
        queue[queue.index(queue.startIndex, offsetBy: index)] = .fast(answer: answer, close: close)
        if index == 0 { advance(context) }
    }

    /// Writes the answers at the front, hands held requests to the router once only the
    /// router's own are ahead of them, and resumes reading and quiescing when it may.
    private func advance(_ context: ChannelHandlerContext) {
        var wrote = false
        while case .fast(let answer?, let close)? = queue.first {
            queue.removeFirst()
            fastCount -= 1
            firstID += 1
            context.write(wrapOutboundOut(Messages.responseHead(answer)), promise: nil)
            if answer.body.readableBytes > 0 { context.write(wrapOutboundOut(Messages.responseBody(answer.body)), promise: nil) }
            wrote = true
            if close {
                context.writeAndFlush(wrapOutboundOut(Messages.responseEnd)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                queue.removeAll()
                fastCount = 0
                heldCount = 0
                return
            }
            context.write(wrapOutboundOut(Messages.responseEnd), promise: nil)
        }
        if wrote { context.flush() }
        var index = queue.startIndex
        var forwarded = false
        while index != queue.endIndex, !queue[index].isFast {
            if case .held(let parts) = queue[index] {
                queue[index] = .passedOn
                heldCount -= 1
                if case .holding = reading, queue.index(after: index) == queue.endIndex { reading = .passing }
                for part in parts { context.fireChannelRead(part) }
                forwarded = true
            }
            index = queue.index(after: index)
        }
        // Hummingbird's async channel hands on what it read at the end of a read.
        if forwarded { context.fireChannelReadComplete() }
        if readPending, heldCount == 0, queue.count < Self.maxInFlight {
            readPending = false
            context.read()
        }
        if let event = quiesce, heldCount + fastCount == 0 {
            quiesce = nil
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The `Date` header, made at most once a second per connection.
    private func httpDate() -> String {
        let second = Int64(Date.now.timeIntervalSince1970.rounded(.down))
        if second != date.second { date = (second, ISO8601Millis.httpDate(fromUnixSeconds: second)) }
        return date.text
    }
}
