import Logging
import OTel
#if canImport(Glibc)
import Glibc
#endif

/// Writes one logfmt line per message to standard error:
/// `ts=2026-11-28T08:30:00.123Z level=info service=orders msg="order created" order-id=… request-id=…`.
/// One `fputs` per line, so lines from different threads never interleave.
struct LogfmtLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Adds `trace_id` and `span_id` while a traced call runs.
    var metadataProvider: Logger.MetadataProvider?

    init(level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "ts=\(Self.timestamp()) level=\(event.level.rawValue) msg=\(Self.quoted(event.message.description))"
        var merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted(merged[key]!.description))"
        }
        line += "\n"
        Console.error(line)
    }

    /// Bare when safe, else quoted with `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }

    /// UTC, millisecond precision.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}

/// Installs logfmt logging once per process.
enum LogSetup {
    static func bootstrap(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap(
            { _, provider in LogfmtLogHandler(level: level, metadataProvider: provider) },
            metadataProvider: OTel.makeLoggingMetadataProvider())
        return Logger(label: "orderhub")
    }
}
