import Logging
@testable import Orders

/// The lifecycle tests act as an admin (every order, customer named in the request), as every
/// caller did before customers were authenticated; `OrderOwnershipTests` covers customers.
extension OrderSystem {
    static let testAdmin = Caller.admin(subject: "test-admin")

    func create(_ request: OrderRequest, logger: Logger? = nil) async throws -> OrderRecord {
        try await create(request, by: Self.testAdmin, logger: logger)
    }

    func order(id: String) async throws -> OrderRecord {
        try await order(id: id, for: Self.testAdmin)
    }

    func cancel(id: String, logger: Logger? = nil) async throws -> OrderRecord {
        try await cancel(id: id, by: Self.testAdmin, logger: logger)
    }

    func list(pageSize: Int, pageToken: String, state: OrderLifecycle.State?, customerID: String?) async throws -> (
        orders: [OrderRecord], nextPageToken: String
    ) {
        try await list(pageSize: pageSize, pageToken: pageToken, state: state, customerID: customerID, for: Self.testAdmin)
    }

    func watch(id: String, send: @escaping @Sendable (OrderRecord) async throws -> Void) async throws {
        try await watch(id: id, for: Self.testAdmin, send: send)
    }
}
