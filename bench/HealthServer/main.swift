// bench-health-server: only grpc.health.v1.Health ("" SERVING) on RPCServer, for `make bench-rpc`.
//
//   bench-health-server --port N [--threads N] [--executor eventLoop|global|nioGlobal] [--tls on]
//                       [--metrics on|off] [--tracing on|off] [--trace-ratio R]
//
// --threads     event-loop threads (default 1: the benchmark pins the process to one core)
// --executor    where handlers run:
//               eventLoop  the server's default: on the connection's event loop, no thread hop
//               global     on Swift's global concurrent executor (a hop per call each way)
//               nioGlobal  the global executor replaced by NIO's singleton event loops
//                          (NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor),
//                          handlers spawned as plain tasks onto it
// --tls on      serve TLS (ALPN h2) with a throwaway certificate for localhost made at start-up
// --metrics     on (default, as the services run): every call recorded in a Prometheus registry
//               (grpc_server_*); off: the router is not wrapped at all
// --tracing on  a server span per call, exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT
// --trace-ratio with tracing on, sample this fraction of root calls (parent-based trace-id ratio,
//               as OTEL_TRACES_SAMPLER=parentbased_traceidratio does for the services); default 1
//
// On start it prints `listening on 127.0.0.1:PORT`. SIGTERM or SIGINT drains (1 s grace) and exits 0.
#if canImport(Glibc)
import Glibc
#endif
import DevCertificates
import Dispatch
import Health
import CoreMetrics
import Logging
import NIOCore
import Observability
import OTel
import Prometheus
import ServiceLifecycle
import Tracing
import NIOPosix
import RPC
import RPCHTTP2
import TLSSupport

/// Writes unbuffered to a file descriptor (1 or 2): the harness reads the line while we run.
func output(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    output("bench-health-server: \(message)\n", to: 2)
    exit(2)
}

var port: Int?
var threads = 1
var executor = "eventLoop"
var tls = false
var metrics = true
var tracing = false
var traceRatio = 1.0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard let value = arguments.next() else { fail("missing value for \(flag)") }
    switch flag {
    case "--port": port = Int(value)
    case "--threads": threads = max(1, Int(value) ?? 1)
    case "--executor": executor = value
    case "--tls": tls = value == "on"
    case "--metrics": metrics = value != "off"
    case "--tracing": tracing = value == "on"
    case "--trace-ratio":
        guard let ratio = Double(value), (0...1).contains(ratio) else { fail("--trace-ratio takes a number from 0 to 1") }
        traceRatio = ratio
    default: fail("unknown flag \(flag)")
    }
}
guard let port else { fail("--port N is required") }

var config = RPCServer.Config(host: "127.0.0.1", port: port)
let group: any EventLoopGroup
switch executor {
case "eventLoop":
    config.handlerExecution = .eventLoop
    group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
case "global":
    config.handlerExecution = .globalExecutor
    group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
case "nioGlobal":
    // Must happen before the first task runs on the global executor; it refuses otherwise.
    NIOSingletons.groupLoopCountSuggestion = threads
    guard NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else {
        fail("could not install NIO's event loops as the global executor")
    }
    config.handlerExecution = .globalExecutor
    group = MultiThreadedEventLoopGroup.singleton
default:
    fail("unknown executor \(executor)")
}

if tls {
    do {
        let issued = try DevCertificateAuthority().issue(commonName: "localhost", dnsNames: ["localhost"], ipAddresses: [DevCertificateAuthority.loopbackIPv4])
        let settings = ServerTLSConfig(certificateChain: .bytes(Array(issued.certificatePEM.utf8)), privateKey: .bytes(Array(issued.privateKeyPEM.utf8)))
        config.tls = try ReloadableTLSContext(server: settings, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    } catch {
        fail("cannot make the TLS certificate: \(error)")
    }
}

if metrics {
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()))
}
if tracing {
    var otel = OTel.Configuration.default
    otel.serviceName = "bench-health-server"
    otel.logs.enabled = false
    otel.metrics.enabled = false
    otel.traces.sampler = .parentBasedTraceIDRatio(ratio: traceRatio)!
    do {
        let backend = try OTel.makeTracingBackend(configuration: otel)
        InstrumentationSystem.bootstrap(backend.factory)
        let exporter = ServiceGroup(services: [backend.service], gracefulShutdownSignals: [], cancellationSignals: [],
                                    logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        Task { try? await exporter.run() }
    } catch {
        fail("cannot export traces: \(error)")
    }
}

var router = RPCRouter()
router.register(HealthStatusService())
router = RPCServerObserver(settings: .init(metrics: metrics, tracing: tracing)).observe(router)
let server = RPCServer(router: router, config: config, group: group)
do {
    try await server.start()
} catch {
    fail("cannot listen on 127.0.0.1:\(port): \(error)")
}
output("listening on 127.0.0.1:\(server.port ?? port) (executor \(executor), \(threads) thread(s)\(tls ? ", TLS" : "")"
       + ", metrics \(metrics ? "on" : "off")\(tracing ? ", tracing \(traceRatio)" : ""))\n", to: 1)

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let signals = [SIGTERM, SIGINT].map { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    // @Sendable: a closure written in top-level code is otherwise main-actor isolated, and the
    // runtime traps when a dispatch queue runs it.
    source.setEventHandler { @Sendable in Task { await server.shutdown(gracePeriod: .seconds(1)) } }
    source.resume()
    return source
}
try await server.run()
withExtendedLifetime(signals) {}
