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
