import Foundation
import HTTPTypes
import Hummingbird

/// The web page at `/`: plain HTML, CSS and JavaScript from the target's resources (no build
/// step, no CDN), read once (`PageAssets`), and its icon (browsers ask for `/favicon.ico`).
struct PageController<Context: RequestContext> {
    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let assets = PageAssets.shared
        routes.get { _, _ in Self.asset(assets.html, type: "text/html; charset=utf-8") }
        routes.get("assets/app.js") { _, _ in Self.asset(assets.script, type: "text/javascript; charset=utf-8") }
        routes.get("assets/style.css") { _, _ in Self.asset(assets.style, type: "text/css; charset=utf-8") }
        routes.get("favicon.svg") { _, _ in Self.asset(assets.icon, type: "image/svg+xml") }
        routes.get("favicon.ico") { _, _ in Self.asset(assets.icon, type: "image/svg+xml") }
        return routes
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type,
                .cacheControl: "no-cache",
                // Everything the page loads comes from the gateway itself.
                .contentSecurityPolicy: "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}

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
