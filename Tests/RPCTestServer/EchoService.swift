import RPC
import Synchronization

/// The raw-bytes echo service `rpc.test.Echo`, registered on the router by hand.
///
/// Methods (request and response messages are raw bytes):
/// - `Unary`: echoes the request. Request metadata `x-echo-initial*` comes back in the response
///   headers, `x-echo-trailing*` in the trailers; `x-status: N` (+ `x-message`) fails the call
///   with that status instead.
/// - `ServerStream`: sends the request back `x-count` times (default 3).
/// - `ClientStream`: answers with all requests concatenated.
/// - `Bidi`: echoes each request as it arrives.
/// - `Sleep`: waits `x-sleep-ms` (default 60 000) honouring cancellation, then echoes.
/// - `Stats`: answers `started=N cancelled=N` for `Sleep` calls (text).
enum EchoService {
    static let service = "rpc.test.Echo"
    static let unary = MethodDescriptor(service: service, method: "Unary", kind: .unary)
    static let serverStream = MethodDescriptor(service: service, method: "ServerStream", kind: .serverStreaming)
    static let clientStream = MethodDescriptor(service: service, method: "ClientStream", kind: .clientStreaming)
    static let bidi = MethodDescriptor(service: service, method: "Bidi", kind: .bidirectionalStreaming)
    static let sleep = MethodDescriptor(service: service, method: "Sleep", kind: .unary)
    static let stats = MethodDescriptor(service: service, method: "Stats", kind: .unary)

    private static let sleepCounters = Mutex((started: 0, cancelled: 0))

    static func register(on router: inout RPCRouter) {
        router.register(
            unary,
            handler: .unary { request, context in
                if let code = context.requestMetadata["x-status"].flatMap(Int.init).flatMap(StatusCode.init(rawValue:)), code != .ok {
                    throw RPCError(code: code, message: context.requestMetadata["x-message"] ?? "")
                }
                var initial = Metadata()
                var trailing = Metadata()
                for entry in context.requestMetadata {
                    if entry.key.hasPrefix("x-echo-initial") { initial.add(entry.key, entry.value) }
                    if entry.key.hasPrefix("x-echo-trailing") { trailing.add(entry.key, entry.value) }
                }
                return UnaryResponse(message: request, initialMetadata: initial, trailingMetadata: trailing)
            })
        router.register(
            serverStream,
            handler: .streaming { requests, responses, context in
                var request: [UInt8] = []
                for try await message in requests { request = message }
                let count = context.requestMetadata["x-count"].flatMap(Int.init) ?? 3
                for _ in 0..<count { try await responses.write(request) }
                return [:]
            })
        router.register(
            clientStream,
            handler: .streaming { requests, responses, _ in
                var all: [UInt8] = []
                for try await message in requests { all += message }
                try await responses.write(all)
                return [:]
            })
        router.register(
            bidi,
            handler: .streaming { requests, responses, _ in
                for try await message in requests { try await responses.write(message) }
                return [:]
            })
        router.register(
            sleep,
            handler: .unary { request, context in
                sleepCounters.withLock { $0.started += 1 }
                let milliseconds = context.requestMetadata["x-sleep-ms"].flatMap(Int.init) ?? 60_000
                do {
                    try await Task.sleep(for: .milliseconds(milliseconds))
                } catch {
                    sleepCounters.withLock { $0.cancelled += 1 }
                    throw error
                }
                return UnaryResponse(message: request)
            })
        router.register(
            stats,
            handler: .unary { _, _ in
                let counters = sleepCounters.withLock { $0 }
                return UnaryResponse(message: Array("started=\(counters.started) cancelled=\(counters.cancelled)".utf8))
            })
    }
}
