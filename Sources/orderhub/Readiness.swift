import CoreMetrics
import Health
import Logging
import Synchronization

/// Readiness of one service (its own health name): SERVING only while every condition holds,
/// NOT_SERVING while any fails (its database does not answer, Payments refuses our calls).
/// Liveness, the empty name, is left alone: a restart fixes none of these.
final class Readiness: Sendable {
    private let health: HealthStatusService
    private let service: String
    private let failing = Mutex<[String: String]>([:])
    /// `orderhub_ready{service}` (1 or 0) and `orderhub_readiness_changes_total{service}`: what
    /// the readiness-flapping alert counts, every flip included, even between two scrapes.
    private let ready: Gauge
    private let changes: Counter

    init(health: HealthStatusService, service: String) {
        self.health = health
        self.service = service
        ready = Gauge(label: "orderhub_ready", dimensions: [("service", service)])
        changes = Counter(label: "orderhub_readiness_changes_total", dimensions: [("service", service)])
        ready.record(1)
    }

    /// Records whether `condition` holds (`failure` nil) or why not; logs each change.
    func set(_ condition: String, failure: String?, logger: Logger) {
        let (changed, flipped, ready) = failing.withLock { failing in
            let wasReady = failing.isEmpty
            let before = failing[condition]
            failing[condition] = failure
            return ((before == nil) != (failure == nil), wasReady != failing.isEmpty, failing.isEmpty)
        }
        guard changed else { return }
        if flipped {
            changes.increment()
            self.ready.record(ready ? 1 : 0)
        }
        if let failure {
            logger.error("\(service) is NOT_SERVING: \(condition) fails", metadata: ["error": "\(failure)"])
        } else {
            logger.notice("\(condition) works again", metadata: ["ready": "\(ready)"])
        }
        health.setStatus(ready ? .serving : .notServing, forService: service)
    }

    /// Checks the database every `interval` (each check given at most `interval` plus two
    /// seconds) until the task is cancelled. A check that hangs (a database behind a dead
    /// network) is waited for again next round rather than joined by another one, so hung
    /// checks never pile up.
    func watchDatabase(every interval: Duration, logger: Logger, check: @escaping @Sendable () async throws -> Void) -> Task<Void, Never> {
        Task {
            var hung: Task<String?, Never>?
            while !Task.isCancelled {
                let attempt =
                    hung
                    ?? Task {
                        do { try await check(); return nil } catch { return "\(error)" }
                    }
                let answer = await Self.answer(of: attempt, within: interval + .seconds(2))
                if Task.isCancelled { return }
                hung = answer == nil ? attempt : nil
                set("the database", failure: answer ?? "no answer within \(interval + .seconds(2))", logger: logger)
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The attempt's result (nil inside: it succeeded), or nil when it gave none in time.
    private static func answer(of attempt: Task<String?, Never>, within limit: Duration) async -> String?? {
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.arm(continuation)
            Task { first.give(.some(await attempt.value)) }
            Task {
                try? await Task.sleep(for: limit)
                first.give(.none)
            }
        }
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<String??, Never>?>(nil)

    func arm(_ continuation: CheckedContinuation<String??, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ value: String??) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
