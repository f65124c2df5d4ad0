import RPC

/// The status code of the `RPCError` `body` throws, or nil when it throws none (or another
/// error): for tests that check which status a call ends with.
///
/// ```swift
/// #expect(await statusCode { _ = try await client.getOrder(request) } == .notFound)
/// ```
public func statusCode(_ body: () async throws -> Void) async -> StatusCode? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error.code
    } catch {
        return nil
    }
}
