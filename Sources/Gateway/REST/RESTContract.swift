import HTTPTypes

/// The REST mapping of the contract: the bindings and schemas protoc-gen-orderhub generates
/// from the `google.api.http` annotations (`Generated/RESTContract+Bindings.swift`), and the lookups
/// the router and `RouteTable` make in them.
enum RESTContract {
    /// The binding for `method` on `path`, with its captured fields; nil when none matches.
    static func binding(
        for method: HTTPRequest.Method, path: String
    ) -> (binding: RESTBinding, captures: [(field: String, value: String)])? {
        let path = RequestPath(path)
        for binding in bindings where binding.method == method {
            if let captures = binding.template.match(path) { return (binding, captures) }
        }
        return nil
    }

    /// The methods some binding serves on `path`, in a fixed order; nil when no template matches.
    static func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let path = RequestPath(path)
        let methods = Set(bindings.filter { $0.template.match(path) != nil }.map(\.method))
        guard !methods.isEmpty else { return nil }
        return methods.sorted { order($0) < order($1) }
    }

    private static func order(_ method: HTTPRequest.Method) -> Int {
        [HTTPRequest.Method.get, .post, .put, .patch, .delete].firstIndex(of: method) ?? 5
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
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
