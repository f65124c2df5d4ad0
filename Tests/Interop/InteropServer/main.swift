// interop-server: grpc.testing.TestService (see InteropTestService.swift) and
// grpc.health.v1.Health on RPCServer, for the interop suite run by a stock grpcio client.
//
//   interop-server --port N [--host H] [--event_log PATH] [--use_tls false]
//
// Health: "" and "grpc.testing.TestService" start SERVING; SIGUSR1 marks the TestService
// NOT_SERVING and SIGUSR2 SERVING again (so a test can watch a change). SIGTERM or SIGINT
// drains (GOAWAY, 2 s grace) and exits 0. On start it prints `listening on HOST:PORT`.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Health
import RPC
import RPCHTTP2

struct Options {
    var host = "127.0.0.1"
    var port: Int?
    var eventLog: String?

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            // Accept both `--flag value` and `--flag=value`, as interop runners pass either.
            let (flag, inline) = argument.split(separator: "=", maxSplits: 1).map(String.init).pair
            func next() -> String { inline ?? value() }
            switch flag {
            case "--port":
                guard let port = Int(next()) else { fail("--port needs a number") }
                options.port = port
            case "--host": options.host = next()
            case "--event_log": options.eventLog = next()
            case "--use_tls": if next() != "false" { fail("only plaintext (h2c) is supported") }
            default: fail("unknown argument \(argument)")
            }
            index += 1
        }
        return options
    }
}

extension Array where Element == String {
    /// The first element and, if present, the second.
    var pair: (String, String?) { (self[0], count > 1 ? self[1] : nil) }
}

func fail(_ message: String) -> Never {
    FileOutput.write("interop-server: \(message)\n", to: 2)
    exit(2)
}

enum FileOutput {
    static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard let port = options.port else { fail("--port is required") }
let events: EventLog
do {
    events = try EventLog(path: options.eventLog)
} catch {
    fail("\(error)")
}

let testService = "grpc.testing.TestService"
let health = HealthStatusService(statuses: ["": .serving, testService: .serving])
var router = RPCRouter()
router.register(InteropTestService(events: events))
router.register(health)

let server = RPCServer(router: router, config: RPCServer.Config(host: options.host, port: port))
do {
    try await server.start()
} catch {
    fail("cannot listen on \(options.host):\(port): \(error)")
}
FileOutput.write("listening on \(options.host):\(server.port ?? port)\n", to: 1)

let handlers: [(Int32, @Sendable () -> Void)] = [
    (SIGTERM, { Task { await server.shutdown(gracePeriod: .seconds(2)) } }),
    (SIGINT, { Task { await server.shutdown(gracePeriod: .seconds(2)) } }),
    (SIGUSR1, { health.setStatus(.notServing, forService: testService) }),
    (SIGUSR2, { health.setStatus(.serving, forService: testService) }),
]
let signalSources = handlers.map { number, handler in
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
    return source
}
try await server.run()
_ = signalSources
