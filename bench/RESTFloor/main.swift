// bench-rest-floor: the floor under the REST gateway for `make bench-gateway`. A plain SwiftNIO
// HTTP/1.1 server that answers every GET with one fixed JSON body read from a file at start-up
// (the harness saves the gateway's own `GET /v1/orders/{id}` answer there), with keep-alive.
//
//   bench-rest-floor --port N --body-file PATH [--threads N] [--server nio|hummingbird]
//
// --threads   event-loop threads (default: one per core, as the gateway runs)
// --server    nio (default): a channel handler behind NIO's HTTP/1.1 server pipeline, nothing
//             else: no routing beyond the method, no middleware, no RPC. The gateway's CPU per
//             request over this one is what the gateway adds above SwiftNIO's HTTP/1.1 codec.
//             hummingbird: one Hummingbird 2 route (`GET /v1/orders/:id`), no middleware, on
//             the same number of threads: Hummingbird's own share of the gateway's cost.
// On start it prints `listening on 127.0.0.1:PORT`. SIGTERM or SIGINT exits 0.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Writes unbuffered to a file descriptor (1 or 2): the harness reads the line while we run.
func output(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    output("bench-rest-floor: \(message)\n", to: 2)
    exit(2)
}

/// Answers GET with the body, anything else with 405; keeps the connection open unless the
/// client asked to close it (NIO's server pipeline handles `Connection: close` and pipelining).
final class FixedBodyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let body: ByteBuffer
    let headers: HTTPHeaders
    private var keepAlive = true
    private var method: HTTPMethod = .GET

    init(body: ByteBuffer) {
        self.body = body
        self.headers = ["content-type": "application/json", "content-length": String(body.readableBytes)]
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            method = head.method
        case .body:
            break
        case .end:
            let ok = method == .GET
            var headers = ok ? self.headers : ["content-length": "0"]
            if !keepAlive { headers.add(name: "connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: ok ? .ok : .methodNotAllowed, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if ok { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            let close = keepAlive ? nil : context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: close)
            close?.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}

var port: Int?
var bodyFile: String?
var threads = System.coreCount
var server = "nio"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard let value = arguments.next() else { fail("missing value for \(flag)") }
    switch flag {
    case "--port": port = Int(value)
    case "--body-file": bodyFile = value
    case "--threads": threads = max(1, Int(value) ?? 1)
    case "--server" where ["nio", "hummingbird"].contains(value): server = value
    default: fail("unknown flag \(flag)")
    }
}
guard let port, let bodyFile else { fail("usage: bench-rest-floor --port N --body-file PATH [--threads N]") }
guard let file = fopen(bodyFile, "rb") else { fail("cannot open \(bodyFile)") }
var bytes: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 65_536)
while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[..<count] }
fclose(file)

/// Listens until SIGTERM or SIGINT, which exit the process.
func serve(body: ByteBuffer, port: Int, threads: Int) throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    let channel = try ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 1024)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(FixedBodyHandler(body: body))
            }
        }
        .bind(host: "127.0.0.1", port: port).wait()
    output("listening on 127.0.0.1:\(channel.localAddress?.port ?? port)\n", to: 1)
    for signalNumber in [SIGTERM, SIGINT] { signal(signalNumber, SIG_IGN) }
    let signals = [SIGTERM, SIGINT].map { number in
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { exit(0) }
        source.resume()
        return source
    }
    try channel.closeFuture.wait()
    withExtendedLifetime(signals) {}
}

/// The same answer from one Hummingbird route, on Hummingbird's HTTP/1.1 server.
func serveHummingbird(body: ByteBuffer, port: Int, threads: Int) async throws {
    let router = Router()
    router.get("/v1/orders/:id") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
    var logger = Logger(label: "bench-rest-floor")
    logger.logLevel = .warning
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
        onServerRunning: { channel in
            output("listening on 127.0.0.1:\(channel.localAddress?.port ?? port)\n", to: 1)
        },
        eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: threads)), logger: logger
    )
    try await app.runService()
}

if server == "hummingbird" {
    try await serveHummingbird(body: ByteBuffer(bytes: bytes), port: port, threads: threads)
} else {
    try serve(body: ByteBuffer(bytes: bytes), port: port, threads: threads)
}
