// CreateOrder straight into an Orders store, to choose how the PostgreSQL store commits:
//   scale-bench postgres URL SECONDS CONCURRENCY CONCURRENT_BATCHES MAX_BATCH POOL
//   scale-bench sqlite PATH SECONDS CONCURRENCY
// CONCURRENCY tasks create orders (two items) back to back for SECONDS; prints one JSON line.
// MAX_BATCH 1 with CONCURRENT_BATCHES = POOL is "a transaction per create, in parallel";
// CONCURRENT_BATCHES 1 is SQLite-style group commit.
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Orders
import PostgresSupport
import StorageSupport

let arguments = CommandLine.arguments
guard arguments.count >= 5, let seconds = Double(arguments[3]), let concurrency = Int(arguments[4]) else {
    print("usage: scale-bench postgres URL SECONDS CONCURRENCY CONCURRENT_BATCHES MAX_BATCH POOL | sqlite PATH SECONDS CONCURRENCY")
    exit(2)
}
var logger = Logger(label: "scale-bench")
logger.logLevel = .warning

let store: any OrderStore
var settings = ""
switch arguments[1] {
case "postgres":
    guard arguments.count >= 8, let batches = Int(arguments[5]), let maxBatch = Int(arguments[6]), let pool = Int(arguments[7]) else {
        print("postgres needs CONCURRENT_BATCHES MAX_BATCH POOL")
        exit(2)
    }
    let config = PostgresOrderStore.Config(storage: .init(maxConnections: pool, applicationName: "scale-bench"),
                                           maxCreateBatch: maxBatch, concurrentCreateBatches: batches)
    store = try await PostgresOrderStore.open(url: try PostgresURL(parsing: arguments[2]), config: config, logger: logger)
    settings = ",\"concurrent_batches\":\(batches),\"max_batch\":\(maxBatch),\"pool\":\(pool)"
case "sqlite":
    store = try await SQLiteOrderStore.open(path: arguments[2], logger: logger)
default:
    print("unknown backend \(arguments[1])")
    exit(2)
}

let draft = try OrderDraft(validating: OrderRequest(
    customerID: "bench-customer",
    items: [OrderLine(sku: "sku-a", quantity: 2, unitPriceCents: 250), OrderLine(sku: "sku-b", quantity: 1, unitPriceCents: 99)],
    currency: "EUR", paymentToken: "tok_approve", requestID: ""
))
let start = ContinuousClock.now
let created = try await createOrders(into: store, draft: draft, concurrency: concurrency, for: .seconds(seconds))
let elapsed = (ContinuousClock.now - start) / .seconds(1)
print("{\"backend\":\"\(arguments[1])\",\"concurrency\":\(concurrency)\(settings),\"orders\":\(created),\"seconds\":\(elapsed),\"per_second\":\(Double(created) / elapsed)}")
try await store.close()

/// Creates orders from `concurrency` tasks for `duration`; returns how many.
func createOrders(into store: any OrderStore, draft: OrderDraft, concurrency: Int, for duration: Duration) async throws -> Int {
    let clock = WallClock.system
    let start = ContinuousClock.now
    return try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var done = 0
                while ContinuousClock.now - start < duration {
                    let now = clock.now()
                    // The lease keeps the charge jobs parked: the bench measures creates only.
                    _ = try await store.create(NewOrder(id: OrderIdentifier.make(now: now), draft: draft, createdAt: now,
                                                        paymentDeadline: now + 3_600_000, firstAttemptLease: now + 3_600_000))
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
}
