/// Names one RPC method: `/orderhub.v1.Orders/CreateOrder` is service `orderhub.v1.Orders`,
/// method `CreateOrder`.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// How many messages each side sends.
    public enum Kind: Sendable, Hashable {
        case unary
        case serverStreaming
        case clientStreaming
        case bidirectionalStreaming
    }

    /// The fully qualified service name, e.g. `orderhub.v1.Orders`.
    public let service: String
    /// The method name, e.g. `CreateOrder`.
    public let method: String
    public let kind: Kind
    /// The HTTP/2 `:path`, built once.
    public let path: String

    public init(service: String, method: String, kind: Kind = .unary) {
        self.service = service
        self.method = method
        self.kind = kind
        self.path = "/\(service)/\(method)"
    }

    public var description: String { path }
}
