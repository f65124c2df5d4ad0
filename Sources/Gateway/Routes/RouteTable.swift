import HTTPTypes

/// Which methods each path of the gateway serves, so any other method (TRACE, QUERY, an
/// invented one) is a 405 with an exact `Allow`, and `OPTIONS` can answer with it. Mirrors the
/// routes the controllers register; `RouteTableTests` checks the two agree.
enum RouteTable {
    /// The methods `path` serves, or nil when no route has that path (a 404).
    static func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch segments {
        case [""], ["healthz"], ["openapi.json"], ["assets", "app.js"], ["assets", "style.css"]:
            return [.get]
        case ["v1", "orders"], ["api", "v1", "order"]:
            return [.get, .post]
        default:
            break
        }
        if segments.count == 3, segments[0] == "v1", segments[1] == "orders" {
            guard let target = try? OrderPath(segment: segments[2]) else { return nil }
            switch target.verb {
            case nil: return [.get]
            case "cancel": return [.post]
            default: return nil
            }
        }
        if segments.count == 4, segments[0] == "v1", segments[1] == "orders", segments[3] == "events" {
            return segments[2].isEmpty || segments[2].contains(":") ? nil : [.get]
        }
        if segments.count == 4, segments[0] == "api", segments[1] == "v1", segments[2] == "order" {
            return segments[3].isEmpty ? nil : [.get, .put]
        }
        return nil
    }

    /// The `Allow` header value for `methods`.
    static func allowHeader(_ methods: [HTTPRequest.Method]) -> String {
        methods.map(\.rawValue).joined(separator: ", ")
    }
}
