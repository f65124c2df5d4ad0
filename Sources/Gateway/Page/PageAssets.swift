import Foundation

/// The page's files (`Resources/page/`: markup, script, styles, icon), read from the target's
/// resource bundle once, when the gateway builds its routes, and served from memory by
/// `PageController`. The bundle ships next to the executable (`orderhub_Gateway.resources`;
/// see the Dockerfile).
struct PageAssets: Sendable {
    let html: String
    let script: String
    let style: String
    let icon: String

    /// Every file; a missing one is a broken installation, reported with its path.
    static let shared: PageAssets = {
        func load(_ name: String, _ type: String) -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "page"),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else {
                preconditionFailure(
                    "the page's \(name).\(type) is missing from \(Bundle.module.bundlePath): install orderhub_Gateway.resources next to the executable")
            }
            return text
        }
        return PageAssets(html: load("index", "html"), script: load("app", "js"), style: load("style", "css"), icon: load("favicon", "svg"))
    }()
}
