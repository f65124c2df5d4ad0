/// A service a server can mount: it registers its methods' handlers with a router.
/// Generated service protocols refine it and implement `registerMethods(with:)`.
public protocol RPCService: Sendable {
    func registerMethods(with router: inout RPCRouter)
}
