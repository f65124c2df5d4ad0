import HTTPTypes
import RPC

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
        // A path without escapes (all the usual ones) is matched on its bytes in place: the
        // same answer as below without a String per segment.
        if !path.utf8.contains(UInt8(ascii: "%")) {
            let bytes = path.utf8.span
            for binding in bindings where binding.method == method {
                if let captures = binding.template.match(unescaped: bytes) { return (binding, captures) }
            }
            return nil
        }
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

extension PathTemplate {
    /// `match(RequestPath(path))` for a path without `%` escapes, read from its bytes in place:
    /// only the captured values become Strings. Segments follow the first `/`; the custom verb
    /// is what follows the last `:` of the last segment.
    func match(unescaped path: Span<UInt8>) -> [(field: String, value: String)]? {
        let slash = UInt8(ascii: "/")
        let colon = UInt8(ascii: ":")
        var first = 0
        while first < path.count, path[first] != slash { first += 1 }
        guard first < path.count else { return segments.isEmpty && verb == nil ? [] : nil }
        // The last segment's last `:` splits off the verb.
        var lastSlash = path.count - 1
        while path[lastSlash] != slash { lastSlash -= 1 }
        var end = path.count - 1
        while end > lastSlash, path[end] != colon { end -= 1 }
        if end > lastSlash {
            guard let verb, path.extracting((end + 1)..<path.count).matches(verb.utf8.span) else { return nil }
        } else {
            guard verb == nil else { return nil }
            end = path.count
        }
        var captures: [(field: String, value: String)] = []
        var start = first + 1
        for index in segments.indices {
            var segmentEnd = start
            while segmentEnd < end, path[segmentEnd] != slash { segmentEnd += 1 }
            // The last template segment must end the path, and no other may.
            guard (segmentEnd == end) == (index == segments.count - 1) else { return nil }
            let value = path.extracting(start..<segmentEnd)
            switch segments[index] {
            case .literal(let literal):
                guard value.matches(literal.utf8.span) else { return nil }
            case .field(let field):
                guard !value.isEmpty, !value.contains(colon) else { return nil }
                captures.append((field, String(utf8: value)))
            }
            start = segmentEnd + 1
        }
        return captures
    }
}

extension Span where Element == UInt8 {
    fileprivate func contains(_ byte: UInt8) -> Bool {
        for index in indices where self[index] == byte { return true }
        return false
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
