// swift-tools-version:6.2
import PackageDescription

/// Products link the Debian system libraries libnghttp2, libprotobuf-c and zlib (see `make deps`).
let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

/// Libraries the domain modules (Orders, Payments) build on: storage (SQLite, PostgreSQL),
/// logging, hashing, JWT.
let sqlite: Target.Dependency = .product(name: "SQLiteNIO", package: "sqlite-nio")
let postgres: Target.Dependency = .product(name: "PostgresNIO", package: "postgres-nio")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let jwt: Target.Dependency = .product(name: "JWTKit", package: "jwt-kit")
let ssl: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
let x509: Target.Dependency = .product(name: "X509", package: "swift-certificates")
/// Observability APIs (the backends, Prometheus and OTel, are wired in the executable only).
let metrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")
let tracing: [Target.Dependency] = [
    .product(name: "Tracing", package: "swift-distributed-tracing"),
    .product(name: "Instrumentation", package: "swift-distributed-tracing"),
    .product(name: "ServiceContextModule", package: "swift-service-context"),
]

/// The server executables allocate with jemalloc (Debian's libjemalloc2) instead of glibc's
/// malloc. Under load many blocks of one size are alive at once, more than glibc's per-thread
/// cache keeps, so glibc falls through to its locked slow paths; jemalloc's per-thread caches
/// are larger and bounded by bytes. Measured: Orders' CPU per created order 0.93×, Payments'
/// 0.97×, Health/Check 0.96×, for 1.6 MiB more RSS (bench/README.md, "The allocator").
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

/// Our own Swift targets build with no warnings: every warning is an error.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

/// Test-only targets, test suites and fuzz targets; a separate array because one expression
/// holding every target is too much for the type checker.
let testAndToolTargets: [Target] = [
    // Test-only: grpc.testing.TestService for the interop suite (on Contracts' protobuf-c runtime).
    .target(name: "CInteropContracts", dependencies: ["CProtobufC"], path: "Tests/Interop/CInteropContracts"),
    .target(
        name: "InteropContracts", dependencies: ["RPC", "Contracts", "CInteropContracts", "CProtobufC"],
        path: "Tests/Interop/InteropContracts"),
    .executableTarget(
        name: "interop-server", dependencies: ["RPC", "RPCHTTP2", "InteropContracts", "Health"] + nio,
        path: "Tests/Interop/InteropServer"),
    .executableTarget(
        name: "interop-client", dependencies: ["RPC", "RPCHTTP2", "InteropContracts"] + nio,
        path: "Tests/Interop/InteropClient"),

    // Test-only: a raw-bytes echo server the Python abuse tests and benchmarks drive.
    .executableTarget(name: "rpc-test-server", dependencies: ["RPC", "RPCHTTP2"] + nio, path: "Tests/RPCTestServer"),
    // Benchmark-only: the health service alone on RPCServer, for `make bench-rpc`.
    .executableTarget(
        name: "bench-health-server",
        dependencies: [
            "RPC", "RPCHTTP2", "Health", "TLSSupport", "DevCertificates", logging,
            "Observability", metrics, .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "OTel", package: "swift-otel"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio + tracing,
        path: "bench/HealthServer", linkerSettings: jemalloc),
    // Benchmark-only: the floor under the REST gateway (a fixed JSON body on plain SwiftNIO
    // HTTP/1.1, or on one Hummingbird route), for `make bench-gateway`.
    .executableTarget(
        name: "bench-rest-floor",
        dependencies: [
            .product(name: "NIOHTTP1", package: "swift-nio"), logging,
            .product(name: "Hummingbird", package: "hummingbird"),
        ] + nio,
        path: "bench/RESTFloor"),

    // libFuzzer target for the deframer and request-header validation (`make fuzz`).
    .executableTarget(name: "FuzzDeframer", dependencies: ["RPC"], path: "Fuzz/Deframer"),

    .testTarget(name: "RPCTests", dependencies: ["RPC"]),
    .testTarget(name: "ObservabilityTests", dependencies: ["Observability", "RPC", metrics, .product(name: "Prometheus", package: "swift-prometheus")]),
    .testTarget(
        name: "TLSSupportTests",
        dependencies: [
            "TLSSupport", "DevCertificates", logging, .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ] + nio),
    .testTarget(
        name: "RPCHTTP2Tests",
        dependencies: [
            "RPC", "RPCHTTP2", "CNghttp2", "EventLoopExecution", "Contracts", "Health", "TLSSupport", "DevCertificates", "RPCTestSupport", logging, ssl,
        ] + nio),
    .testTarget(
        name: "OrdersTests",
        dependencies: [
            "Orders", "Payments", "RPC", "RPCHTTP2", "Contracts", "StorageSupport", "ServiceAuth", "CustomerAuth", "PostgresSupport", "StoreTestSupport",
            "RPCTestSupport", logging,
        ]),
    .testTarget(name: "PaymentsTests", dependencies: ["Payments", "RPC", "StorageSupport", "ServiceAuth", "PostgresSupport", "StoreTestSupport", logging]),
    .testTarget(name: "ServiceAuthTests", dependencies: ["ServiceAuth", "RPC", crypto]),
    .testTarget(
        name: "CustomerAuthTests",
        dependencies: [
            "CustomerAuth", "RPC", jwt, crypto,
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
    .testTarget(name: "SQLiteSupportTests", dependencies: ["SQLiteSupport", "StorageSupport", sqlite]),
    .testTarget(name: "ContractsTests", dependencies: ["Contracts", "InteropContracts", "RPC"]),
    .testTarget(name: "HealthTests", dependencies: ["Health", "Contracts", "RPC", "RPCHTTP2"]),
    .testTarget(name: "ReflectionTests", dependencies: ["Reflection", "Contracts", "RPC"]),
    .testTarget(name: "PostgresSupportTests", dependencies: ["PostgresSupport", "StorageSupport", "StoreTestSupport", postgres]),

    // Test-only: helpers the suites that make RPC calls share.
    .target(name: "RPCTestSupport", dependencies: ["RPC"], path: "Tests/RPCTestSupport"),

    // Test-only: the backends the store contract suites run on, a fresh PostgreSQL schema
    // per case (ORDERHUB_TEST_POSTGRES_URL), and table shapes to compare the two schemas.
    .target(
        name: "StoreTestSupport", dependencies: ["PostgresSupport", "SQLiteSupport", "StorageSupport", postgres, sqlite, logging],
        path: "Tests/StoreTestSupport"),

    // Test-only: encodes and decodes sample messages for the cross-language tests
    // (Tests/python/contracts), and a decode loop over hostile input for `make asan`.
    .executableTarget(
        name: "contracts-probe", dependencies: ["Contracts", "InteropContracts", "RPC"],
        path: "Tests/ContractsProbe"),
    .executableTarget(
        name: "contracts-decode-loop", dependencies: ["Contracts", "InteropContracts", "RPC"],
        path: "Tests/ContractsDecodeLoop"),

    // Fuzz targets (`make fuzz`): `Fuzz<Name>` at Fuzz/<Name>/main.swift, seed corpus in
    // Fuzz/Corpus/<Name>/. A plain build replays the files given as arguments.
    .executableTarget(name: "FuzzDecode", dependencies: ["Contracts", "InteropContracts", "RPC"], path: "Fuzz/Decode"),
    .testTarget(
        name: "GatewayTests",
        dependencies: [
            "Gateway", "Contracts", "RPC", "RPCHTTP2", "TLSSupport", "DevCertificates", ssl,
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ] + nio),
]

let package = Package(
    name: "orderhub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orderhub", targets: ["orderhub"]),
        .executable(name: "protoc-gen-orderhub", targets: ["protoc-gen-orderhub"]),
        // For other Swift programs: `import OrderhubClient` brings the generated messages and
        // typed clients, the RPC core and the HTTP/2 transport. No target in it (or in what it
        // links) has unsafe flags, which SwiftPM refuses in a package others depend on.
        .library(name: "OrderhubClient", targets: ["OrderhubClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // The REST gateway's HTTP/1.1 server. Without swift-configuration support: the gateway
        // takes its settings from `OrdersGateway.Config`.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        // The gateway's HTTP/2 connections (already under Hummingbird's HTTP/2 support).
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.45.0"),
        // TLS on every listener and client (BoringSSL underneath; no hand-written crypto).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        // X.509 certificates for `orderhub dev-certs` and the TLS tests.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.1.0"),
        // Graceful shutdown of the gateway's Hummingbird applications (a ServiceGroup each).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // Observability: metrics (Prometheus text at /metrics), traces (W3C context, OTLP/HTTP export).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context", from: "1.5.1"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // System libraries. The pkg-config names are the .pc file names.
        .systemLibrary(name: "CNghttp2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // protoc-c output (generated, committed; `make protos`).
        .target(name: "CGoogleProtobuf", dependencies: ["CProtobufC"]),
        .target(name: "CPluginContracts", dependencies: ["CProtobufC", "CGoogleProtobuf"]),
        .target(name: "CContracts", dependencies: ["CProtobufC", "CGoogleProtobuf"]),

        // TLS settings as values, turned into NIOSSLContexts and rebuilt when their files change;
        // shared by the gRPC transport and the REST gateway.
        .target(name: "TLSSupport", dependencies: [ssl, logging, .product(name: "NIOTLS", package: "swift-nio")] + nio),

        // A throwaway CA and the certificates it signs: `orderhub dev-certs` and the TLS tests.
        .target(name: "DevCertificates", dependencies: [x509, crypto, .product(name: "SwiftASN1", package: "swift-asn1")]),

        // Transport-free RPC core, and its nghttp2 + NIO transport.
        .target(name: "RPC"),
        // The task executor that keeps a task on one NIO event loop: RPC handlers and the gateway's.
        .target(name: "EventLoopExecution", dependencies: nio),
        .target(name: "RPCHTTP2", dependencies: ["RPC", "CNghttp2", "CZlib", "TLSSupport", "EventLoopExecution", logging, ssl] + nio),

        // Generated Swift for Protos/, and the generator.
        .target(name: "Contracts", dependencies: ["RPC", "CContracts", "CProtobufC"]),
        .executableTarget(name: "protoc-gen-orderhub", dependencies: ["CPluginContracts", "CGoogleProtobuf", "CProtobufC", "RPC"]),

        // The client library: re-exports the above, adds the customer token to every call.
        .target(name: "OrderhubClient", dependencies: ["Contracts", "RPC", "RPCHTTP2", "TLSSupport"]),

        // grpc.health.v1.Health, ready for any server to mount.
        .target(name: "Health", dependencies: ["RPC", "Contracts"]),

        // grpc.reflection v1 and v1alpha from the generated descriptors, for grpcurl and friends.
        .target(name: "Reflection", dependencies: ["RPC", "Contracts"]),

        // Service-to-service authentication: HS256 JWTs from the shared secret.
        .target(name: "ServiceAuth", dependencies: ["RPC", jwt]),

        // Customer authentication: verifies user tokens (HS256 secret or RS256/ES256 JWKS) and
        // signs local ones (dev sign-in, `orderhub token`).
        .target(name: "CustomerAuth", dependencies: ["RPC", "ServiceAuth", jwt]),

        // What the service handlers share: per-call logging with request ids, and the one
        // mapping of storage failures to statuses.
        .target(name: "RequestLogging", dependencies: ["RPC", "StorageSupport", logging]),

        // Storage plumbing that names no database: the group-commit writer, migrations as data,
        // storage errors, rows read by column name. Both backends build on it.
        .target(name: "StorageSupport", dependencies: [logging, metrics] + tracing),

        // RPC metrics and trace propagation as wrappers around routers and client transports:
        // the transport itself knows nothing of them.
        .target(name: "Observability", dependencies: ["RPC", metrics] + tracing),

        // SQLite plumbing shared by the domain stores: pragmas, migrations, group commit.
        .target(name: "SQLiteSupport", dependencies: ["StorageSupport", sqlite, logging]),

        // PostgreSQL plumbing shared by the domain stores: URLs, the client, migrations, LISTEN.
        .target(name: "PostgresSupport", dependencies: ["StorageSupport", postgres, logging]),

        // The domain: order lifecycle and payments, each on its own database (SQLite or PostgreSQL).
        .target(
            name: "Orders",
            dependencies: [
                "RPC", "Contracts", "ServiceAuth", "CustomerAuth", "RequestLogging", "StorageSupport", "SQLiteSupport",
                "PostgresSupport", "Observability", sqlite, postgres, logging, crypto, metrics,
            ] + tracing),
        .target(
            name: "Payments",
            dependencies: [
                "RPC", "Contracts", "ServiceAuth", "RequestLogging", "StorageSupport", "SQLiteSupport",
                "PostgresSupport", sqlite, postgres, logging, metrics,
            ] + tracing),

        // REST ↔ RPC gateway with the web page; handed an OrdersClient, so it never sees a transport.
        .target(
            name: "Gateway",
            dependencies: [
                "RPC", "Contracts", "TLSSupport", "EventLoopExecution", ssl,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                metrics,
            ] + nio + tracing,
            // The page's markup, script, styles and icon (`PageAssets`).
            resources: [.copy("Resources/page")]
        ),

        .executableTarget(
            name: "orderhub",
            dependencies: [
                "RPC", "RPCHTTP2", "Contracts", "Health", "Reflection", "Orders", "Payments", "ServiceAuth", "CustomerAuth", "Gateway", "PostgresSupport",
                "StorageSupport", "TLSSupport", "DevCertificates", logging,
                "Observability", metrics, .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + nio,
            linkerSettings: jemalloc),

        // Benchmark helper: the disk's one-row durable insert rate next to the Orders store's.
        .executableTarget(
            name: "orders-bench", dependencies: ["Orders", "StorageSupport", "SQLiteSupport", "Contracts", "RPC", "RPCHTTP2", sqlite, logging],
            path: "bench/OrdersBench"),

        // Benchmark helper (`make bench-scale`): creates straight into either Orders store.
        .executableTarget(name: "scale-bench", dependencies: ["Orders", "PostgresSupport", "StorageSupport", logging], path: "bench/ScaleBench"),

    ] + testAndToolTargets,
    swiftLanguageModes: [.v6]
)

// Every Swift target of ours is strict; C targets and system libraries have no Swift settings.
for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    target.swiftSettings = (target.swiftSettings ?? []) + strict
}
