import HTTPTypes

/// The REST mapping of the contract: the bindings and schemas protoc-gen-orderhub generates
/// from the `google.api.http` annotations (`Generated/RESTContract+Bindings.swift`), and the lookups
/// the router and `RouteTable` make in them.
enum RESTContract {
    /// What the contract says about one request path: the methods its bindings serve there, in
    /// a fixed order, and the binding for the request's own method with its captured fields
    /// (nil when that method is not among them: a 405).
    struct Match {
        var allowed: [HTTPRequest.Method]
        var binding: RESTBinding?
        var captures: [(field: String, value: String)]
    }

    /// The contract's answer for `method` on `path`, splitting and decoding the path once; nil
    /// when no template matches `path` (not a contract route). Runs for every request.
    static func match(method: HTTPRequest.Method, path: String) -> Match? {
        let path = RequestPath(path)
        var match = Match(allowed: [], binding: nil, captures: [])
        for binding in bindings {
            guard let captures = binding.template.match(path) else { continue }
            if !match.allowed.contains(binding.method) { match.allowed.append(binding.method) }
            if match.binding == nil && binding.method == method {
                match.binding = binding
                match.captures = captures
            }
        }
        guard !match.allowed.isEmpty else { return nil }
        if match.allowed.count > 1 { match.allowed.sort { order($0) < order($1) } }
        return match
    }

    /// The binding for `method` on `path`, with its captured fields; nil when none matches.
    static func binding(
        for method: HTTPRequest.Method, path: String
    ) -> (binding: RESTBinding, captures: [(field: String, value: String)])? {
        guard let match = match(method: method, path: path), let binding = match.binding else { return nil }
        return (binding, match.captures)
    }

    /// The methods some binding serves on `path`, in a fixed order; nil when no template matches.
    static func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        match(method: .get, path: path)?.allowed
    }

    private static func order(_ method: HTTPRequest.Method) -> Int {
        switch method {
        case .get: 0
        case .post: 1
        case .put: 2
        case .patch: 3
        case .delete: 4
        default: 5
        }
    }
}

extension String {
    /// Decodes `%XX` escapes; a malformed escape is kept as written.
    var removingPercentEncodingLeniently: String {
        // A byte scan: `contains("%")` would go through Foundation's string search.
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
