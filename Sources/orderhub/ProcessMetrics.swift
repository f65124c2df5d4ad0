import CoreMetrics
#if canImport(Glibc)
import Glibc
#endif

/// `process_resident_memory_bytes`, `process_open_fds` and `process_cpu_seconds_total`, read
/// from /proc at each scrape, as Prometheus' own client libraries report them.
final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let openFDs: Gauge
    private let cpuSeconds: Gauge

    /// Made after `MetricsSystem` is bootstrapped.
    init() {
        residentMemory = Gauge(label: "process_resident_memory_bytes")
        openFDs = Gauge(label: "process_open_fds")
        // A counter in meaning; set as a gauge because the kernel keeps the running total.
        cpuSeconds = Gauge(label: "process_cpu_seconds_total")
    }

    func update() {
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            cpuSeconds.record(user + system)
        }
        if let statm = try? TextFile.read("/proc/self/statm"), let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            residentMemory.record(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let directory = opendir("/proc/self/fd") {
            var count = 0
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { count += 1 }
            }
            closedir(directory)
            // Less the descriptor opendir itself holds.
            openFDs.record(Double(max(0, count - 1)))
        }
    }
}
