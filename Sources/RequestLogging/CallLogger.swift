import Logging
import RPC
import Synchronization

/// Per-call logging for the services: every line of a call carries its method, its request id
/// (the caller's `x-request-id`, or a new one) and, once known, the order id. Failures are
/// logged once, after the service's own mapping to a status.
public enum CallLogger {
    /// The metadata key a caller may set to correlate its logs with ours.
    public static let requestIDKey = "x-request-id"

    private static let counter = Atomic<UInt64>(0)
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt32, radix: 36)
    }()

    /// A logger for one call.
    public static func make(_ base: Logger, context: ServerContext, orderID: String? = nil) -> Logger {
        var logger = base
        logger[metadataKey: "method"] = "\(context.path)"
        logger[metadataKey: "request-id"] = "\(requestID(from: context.requestMetadata))"
        if let orderID, !orderID.isEmpty { logger[metadataKey: "order-id"] = "\(orderID.prefix(64))" }
        return logger
    }

    /// The caller's request id when it is short printable ASCII, else a new one.
    public static func requestID(from metadata: Metadata) -> String {
        if let given = metadata[requestIDKey], (1...64).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            return given
        }
        return prefix + "-" + String(counter.wrappingAdd(1, ordering: .relaxed).newValue, radix: 36)
    }

    /// Runs a handler body; maps its failure with `mapError` (the service's one mapping) and
    /// logs it. `logger` is evaluated only when there is something to log, so a handler whose
    /// body logs nothing itself pays nothing for its call logger on success.
    public static func run<T>(
        _ logger: @autoclosure () -> Logger, mapError: (any Error) -> RPCError, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch {
            let logger = logger()
            let status = mapError(error)
            switch status.code {
            case .internal, .unknown, .dataLoss: logger.error("call failed", metadata: ["status": "\(status.code)", "error": "\(error)"])
            case .unavailable: logger.warning("call failed", metadata: ["status": "\(status.code)", "error": "\(error)"])
            default: logger.info("call refused", metadata: ["status": "\(status.code)", "message": "\(status.message)"])
            }
            throw status
        }
    }
}
