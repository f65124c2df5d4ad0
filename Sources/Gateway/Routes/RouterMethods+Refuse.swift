import HTTPTypes
import Hummingbird

extension RouterMethods {
    /// The methods a client may try on a path besides the ones it serves.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete] }

    /// Answers 405 (with `Allow`) for the methods `path` does not serve, instead of a 404.
    @discardableResult
    func refuseOtherMethods(on path: RouterPath, allowed: [HTTPRequest.Method]) -> Self {
        for method in Self.answeredMethods where !allowed.contains(method) {
            on(path, method: method) { request, _ -> Response in
                throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
            }
        }
        return self
    }
}
