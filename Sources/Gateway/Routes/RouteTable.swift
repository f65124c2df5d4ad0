import HTTPTypes

/// Which methods each path of the gateway serves, so any other method (TRACE, QUERY, an
/// invented one) is a 405 with an exact `Allow`, and `OPTIONS` can answer with it: the
/// contract's bindings (`RESTContract`), then the routes the controllers register, mirrored
/// here; `RouteTableTests` checks the two agree.
///
/// Runs for every request, so it compares substrings in place and returns shared arrays
/// rather than building arrays to match against.
enum RouteTable {
    private static let get: [HTTPRequest.Method] = [.get]
    private static let post: [HTTPRequest.Method] = [.post]
    private static let getPost: [HTTPRequest.Method] = [.get, .post]
    private static let getPut: [HTTPRequest.Method] = [.get, .put]

    /// The methods `path` serves, or nil when no route has that path (a 404).
    static func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        RESTContract.allowedMethods(forPath: path) ?? routeMethods(forPath: path)
    }

    /// The methods the controllers' routes serve on `path` (no contract binding), or nil.
    static func routeMethods(forPath path: String) -> [HTTPRequest.Method]? {
        // Split on the UTF-8 view: '/' is ASCII, and a `Character` split walks grapheme clusters.
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .dropFirst().map { Substring($0) }[...]
        guard let first = segments.first else { return nil }
        let rest = segments.dropFirst()
        switch (first, segments.count) {
        case ("", 1), ("healthz", 1), ("livez", 1), ("readyz", 1), ("openapi.json", 1), ("favicon.svg", 1), ("favicon.ico", 1):
            return get
        case ("assets", 2):
            return rest.first == "app.js" || rest.first == "style.css" ? get : nil
        case ("v1", 3) where rest.first == "dev":
            return rest.last == "sign-in" ? post : nil
        case ("api", 3), ("api", 4):
            guard rest.starts(with: ["v1", "order"]) else { return nil }
            guard let id = rest.dropFirst(2).first else { return getPost }
            return id.isEmpty ? nil : getPut
        default:
            return nil
        }
    }

    /// The `Allow` header value for `methods`.
    static func allowHeader(_ methods: [HTTPRequest.Method]) -> String {
        methods.map(\.rawValue).joined(separator: ", ")
    }
}
