// rpc-test-server: serves the raw-bytes echo service `rpc.test.Echo` (see EchoService.swift)
// for the Python abuse tests and the benchmarks.
//
// Flags (all optional except --port; sizes in bytes, times in milliseconds):
//   --port N                      port to listen on (0: pick one; the bound port is printed)
//   --host H                      address to bind (default 127.0.0.1)
//   --threads N                   event-loop threads (default 1)
//   --executor eventLoop|global   where handlers run (default eventLoop: no thread hop)
//   --max-receive-message-size N  (default 1048576)
//   --max-send-message-size N     (default 4194304)
//   --max-concurrent-streams N    (default 100)
//   --max-header-list-size N      (default 8192)
//   --max-in-flight-handlers N    per connection (default 100)
//   --stream-reset-burst N        (default 1000)
//   --stream-reset-rate N         per second (default 33)
//   --max-continuations N         (default 8)
//   --initial-window-size N       (default 65535)
//   --connection-window-size N    (default 1048576)
//   --preface-timeout-ms N        (default 10000)
//   --idle-timeout-ms N           (default 300000)
//   --max-connections N           (default 1000)
//   --max-connection-age-ms N     (default off)
//   --grace-ms N                  drain grace period on SIGTERM/SIGINT (default 5000)
//
// On start it prints `listening on HOST:PORT` on stdout. SIGTERM or SIGINT drains: GOAWAY,
// open calls finish within the grace period, then the process exits 0.
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import RPC
import RPCHTTP2

struct Options {
    var config = RPCServer.Config(host: "127.0.0.1")
    var threads = 1
    var grace = Duration.seconds(5)
    var portGiven = false

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func number() -> Int {
            let text = value()
            guard let number = Int(text), number >= 0 else { fail("not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--port": options.config.port = number(); options.portGiven = true
            case "--host": options.config.host = value()
            case "--threads": options.threads = max(1, number())
            case "--executor":
                switch value() {
                case "eventLoop": options.config.handlerExecution = .eventLoop
                case "global": options.config.handlerExecution = .globalExecutor
                case let other: fail("unknown executor \(other)")
                }
            case "--max-receive-message-size": options.config.maxReceiveMessageSize = number()
            case "--max-send-message-size": options.config.maxSendMessageSize = number()
            case "--max-concurrent-streams": options.config.maxConcurrentStreams = number()
            case "--max-header-list-size": options.config.maxHeaderListSize = number()
            case "--max-in-flight-handlers": options.config.maxInFlightHandlersPerConnection = number()
            case "--stream-reset-burst": options.config.streamResetBurst = number()
            case "--stream-reset-rate": options.config.streamResetRatePerSecond = number()
            case "--max-continuations": options.config.maxContinuations = number()
            case "--initial-window-size": options.config.initialWindowSize = number()
            case "--connection-window-size": options.config.connectionWindowSize = number()
            case "--preface-timeout-ms": options.config.prefaceTimeout = .milliseconds(number())
            case "--idle-timeout-ms": options.config.idleTimeout = .milliseconds(number())
            case "--max-connections": options.config.maxConnections = number()
            case "--max-connection-age-ms": options.config.maxConnectionAge = .milliseconds(number())
            case "--grace-ms": options.grace = .milliseconds(number())
            case let other: fail("unknown flag \(other)")
            }
            index += 1
        }
        if !options.portGiven { fail("--port is required") }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandleOutput.write("rpc-test-server: \(message)\n", to: 2)
    exit(2)
}

enum FileHandleOutput {
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
var router = RPCRouter()
EchoService.register(on: &router)
let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
let server = RPCServer(router: router, config: options.config, group: group)
do {
    try await server.start()
} catch {
    fail("cannot listen on \(options.config.host):\(options.config.port): \(error)")
}
FileHandleOutput.write("listening on \(options.config.host):\(server.port ?? 0)\n", to: 1)

let grace = options.grace
ShutdownSignal.install {
    FileHandleOutput.write("draining\n", to: 1)
    Task { await server.shutdown(gracePeriod: grace) }
}
try await server.run()
try? await group.shutdownGracefully()
FileHandleOutput.write("stopped\n", to: 1)
