import HTTPTypes
import Hummingbird

/// The web page at `/`: plain HTML, CSS and JavaScript, embedded in the binary (no build step,
/// no CDN, nothing to install next to the executable).
struct PageController<Context: RequestContext> {
    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        routes.get("assets/app.js") { _, _ in Self.asset(PageAssets.script, type: "text/javascript; charset=utf-8") }
        routes.get("assets/style.css") { _, _ in Self.asset(PageAssets.style, type: "text/css; charset=utf-8") }
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
