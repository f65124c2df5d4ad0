// swift-tools-version:6.2
import PackageDescription

/// Another Swift program using orderhub as a library: it depends on the `OrderhubClient`
/// product, here by path; elsewhere `.package(url: "<orderhub's git URL>", from: "…")`.
let package = Package(
    name: "orderhub-swift-client",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "orderhub", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "orderhub-swift-client",
            dependencies: [.product(name: "OrderhubClient", package: "orderhub")],
            path: "Sources"
        )
    ],
    swiftLanguageModes: [.v6]
)
