import Hummingbird
import NIOCore

extension OrdersGateway {
    /// Who a request counts against for the rate limit and the event-stream caps: the subject
    /// of its bearer token (the header, or the event stream's `access_token`) when
    /// `verifiedSubject` vouches for it, else its IP address. An unverified subject is never
    /// used: a client could spread itself over any number of them.
    func clientKey(for request: Request, remoteAddress: SocketAddress?) async -> String {
        if let authorization = request.authorization(acceptingQueryToken: request.isEventStream),
            authorization.count > 7, authorization.prefix(7).lowercased() == "bearer ",
            let subject = await verifiedSubject(String(authorization.dropFirst(7).drop { $0 == " " }))
        {
            return "sub:" + subject
        }
        return "ip:" + (remoteAddress?.ipAddress ?? "unknown")
    }
}
