import Hummingbird
import NIOCore

extension OrdersGateway {
    /// Who a request counts against for the rate limit and the event-stream caps: the subject
    /// of its bearer token when `verifiedSubject` vouches for it, else its IP address. An
    /// unverified subject is never used: a client could spread itself over any number of them.
    func clientKey(for request: Request, remoteAddress: SocketAddress?) -> String {
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer ",
           let subject = verifiedSubject(String(header.dropFirst(7).drop { $0 == " " })) {
            return "sub:" + subject
        }
        return "ip:" + (remoteAddress?.ipAddress ?? "unknown")
    }
}
