// Measures what the disk allows, next to what the Orders store does with it:
//   orders-bench baseline DIR SECONDS            one-row durable INSERT transactions, one after another
//   orders-bench store DIR SECONDS CONCURRENCY   SQLiteOrderStore.create from CONCURRENCY tasks (group commit)
//   orders-bench fill DIR COUNT                  COUNT orders written straight into DIR/orders.db (for GetOrder runs)
//   orders-bench get-load DIR HOST:PORT SECONDS CONCURRENCY
//                                                GetOrder over gRPC for random ids of DIR/orders.db (cold keys, unlike
//                                                h2load's one body); prints the latency percentiles;
//                                                sends ORDERS_BENCH_AUTHORIZATION (`Bearer <token>`,
//                                                which Orders requires) as `authorization` on every call
// Each prints one JSON line. Both write rows of the same size: an order of two items.
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Contracts
import Orders
import RPC
import RPCHTTP2
import SQLiteNIO
import SQLiteSupport
import StorageSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: orders-bench baseline|store|fill DIR [SECONDS|COUNT] [CONCURRENCY]")
    exit(2)
}
var logger = Logger(label: "orders-bench")
logger.logLevel = .warning
let mode = arguments[1]
let directory = arguments[2]
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

func request(_ index: Int) -> OrderRequest {
    OrderRequest(
        customerID: "bench-customer-\(index % 100)",
        items: [OrderLine(sku: "sku-a", quantity: 2, unitPriceCents: 250), OrderLine(sku: "sku-b", quantity: 1, unitPriceCents: 99)],
        currency: "EUR", paymentToken: "tok_approve", requestID: ""
    )
}

func newOrder(_ index: Int) throws -> NewOrder {
    let now = WallClock.system.now()
    return NewOrder(id: OrderIdentifier.make(now: now), draft: try OrderDraft(validating: request(index)), createdAt: now,
                    paymentDeadline: now + 60_000, firstAttemptLease: now + 3_600_000)
}

switch mode {
case "baseline":
    let seconds = Double(arguments.count > 3 ? arguments[3] : "5") ?? 5
    let path = directory + "/baseline.db"
    let storage = try await SQLiteStorage.open(path: path, migrations: [
        SchemaMigration(version: 1, name: "rows", statements: [
            "CREATE TABLE rows (id TEXT PRIMARY KEY, customer_id TEXT, total INTEGER, currency TEXT, items TEXT, created_at INTEGER) WITHOUT ROWID",
        ]),
    ], logger: logger)
    let start = ContinuousClock.now
    var count = 0
    var latencies: [Double] = []
    while ContinuousClock.now - start < .seconds(seconds) {
        let t0 = ContinuousClock.now
        let order = try newOrder(count)
        // One statement in autocommit mode: one durable transaction per row.
        try await storage.writer.execute(
            "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)",
            [.text(order.id), .text(order.draft.customerID), .int64(order.draft.totalCents), .text(order.draft.currency),
             .text("sku-a:2:250,sku-b:1:99"), .int64(order.createdAt)]
        )
        latencies.append((ContinuousClock.now - t0) / .microseconds(1))
        count += 1
    }
    let elapsed = (ContinuousClock.now - start) / .seconds(1)
    latencies.sort()
    print("{\"mode\":\"baseline\",\"rows\":\(count),\"seconds\":\(elapsed),\"per_second\":\(Double(count) / elapsed),\"p50_us\":\(latencies[latencies.count / 2]),\"p99_us\":\(latencies[latencies.count * 99 / 100])}")
    try await storage.close()

case "store":
    try await runStore(directory: directory, seconds: Double(arguments.count > 3 ? arguments[3] : "5") ?? 5,
                       concurrency: Int(arguments.count > 4 ? arguments[4] : "64") ?? 64, logger: logger)

case "fill":
    try await runFill(directory: directory, total: Int(arguments.count > 3 ? arguments[3] : "1000") ?? 1000, logger: logger)

case "get-load":
    guard arguments.count >= 6, let colon = arguments[3].lastIndex(of: ":"), let port = Int(arguments[3][arguments[3].index(after: colon)...]) else {
        print("usage: orders-bench get-load DIR HOST:PORT SECONDS CONCURRENCY")
        exit(2)
    }
    try await runGetLoad(directory: directory, host: String(arguments[3][..<colon]), port: port,
                         seconds: Double(arguments[4]) ?? 5, concurrency: Int(arguments[5]) ?? 16, logger: logger)

default:
    print("unknown mode \(mode)")
    exit(2)
}

func runStore(directory: String, seconds: Double, concurrency: Int, logger: Logger) async throws {
    let store = try await SQLiteOrderStore.open(path: directory + "/orders.db", logger: logger)
    let start = ContinuousClock.now
    let counts = try await withThrowingTaskGroup(of: Int.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var done = 0
                while ContinuousClock.now - start < .seconds(seconds) {
                    _ = try await store.create(try newOrder(worker))
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = (ContinuousClock.now - start) / .seconds(1)
    print("{\"mode\":\"store\",\"concurrency\":\(concurrency),\"orders\":\(counts),\"seconds\":\(elapsed),\"per_second\":\(Double(counts) / elapsed)}")
    try await store.close()
}

func runFill(directory: String, total: Int, logger: Logger) async throws {
    let store = try await SQLiteOrderStore.open(path: directory + "/orders.db", config: .init(maxBatchSize: 2000), logger: logger)
    var written = 0
    while written < total {
        let batch = min(2000, total - written)
        let base = written
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<batch { group.addTask { _ = try await store.create(try newOrder(base + index)) } }
            try await group.waitForAll()
        }
        written += batch
    }
    // The bench measures reads, not a million pending payment jobs.
    try await store.close()
    let connection = try await SQLiteConnection.open(storage: .file(path: directory + "/orders.db"), logger: logger)
    try await connection.execute("DELETE FROM payment_jobs")
    try await connection.close()
    print("{\"mode\":\"fill\",\"orders\":\(written)}")
}

func runGetLoad(directory: String, host: String, port: Int, seconds: Double, concurrency: Int, logger: Logger) async throws {
    // A sample of ids spread over the whole table.
    let connection = try await SQLiteConnection.open(storage: .file(path: directory + "/orders.db"), logger: logger)
    let ids = try await connection.rows("SELECT id FROM orders ORDER BY random() LIMIT 20000").map { try $0.text("id") }
    try await connection.close()
    let transport = HTTP2ClientTransport(config: .init(host: host, port: port))
    let client = OrdersClient(transport: transport)
    var metadata = Metadata()
    if let authorization = getenv("ORDERS_BENCH_AUTHORIZATION").map({ String(cString: $0) }) {
        metadata.add("authorization", authorization)
    }
    let options = CallOptions(timeout: .seconds(5), metadata: metadata)
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var generator = SystemRandomNumberGenerator()
                var mine: [Double] = []
                _ = worker
                while ContinuousClock.now - start < .seconds(seconds) {
                    let id = ids.randomElement(using: &generator)!
                    let t0 = ContinuousClock.now
                    _ = try await client.getOrder(GetOrderRequest(id: id), options: options)
                    mine.append((ContinuousClock.now - t0) / .microseconds(1))
                }
                return mine
            }
        }
        return try await group.reduce(into: [Double]()) { $0 += $1 }
    }.sorted()
    await transport.close()
    let elapsed = (ContinuousClock.now - start) / .seconds(1)
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print("{\"mode\":\"get-load\",\"calls\":\(latencies.count),\"per_second\":\(Double(latencies.count) / elapsed),\"p50_us\":\(percentile(0.5)),\"p99_us\":\(percentile(0.99))}")
}
