import Contracts
import HTTPTypes
import Hummingbird
import RPC

/// `GET /v1/orders:watch` → WatchOrders as Server-Sent Events: each event's `id:` is its
/// cursor and its `data:` the `OrderEvent` JSON (`{"cursor": …, "order": {…}}`); a comment line
/// every heartbeat interval keeps proxies from closing a quiet stream.
///
/// Resuming: the `Last-Event-ID` header (EventSource sends it when it reconnects) or the
/// `afterCursor` query parameter; the header wins, as a reconnect repeats the first URL. A
/// cursor the feed did not issue is 400, one whose events are gone is 400 (OUT_OF_RANGE).
/// `state` (repeatable) and, for admins, `customerId` filter. Counted under the event-stream
/// caps; takes the token as `?access_token=` too (EventSource cannot set headers).
struct OrderFeedController<Context: RemoteAddressRequestContext> {
    let gateway: OrdersGateway

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: watch)
        return routes
    }

    @Sendable func watch(request: Request, context: Context) async throws -> Response {
        var watch = try WatchOrdersRequest(query: request.queryPairs, options: request.protoJSONOptions)
        if let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!], !lastEventID.isEmpty {
            watch.afterCursor = lastEventID
        }
        let slot = try gateway.eventStreams.acquire(for: await gateway.clientKey(for: request, remoteAddress: context.remoteAddress))
        let options = gateway.callOptions(for: request, withDeadline: false, acceptingQueryToken: true)
        let stream = RPCEventStream<OrderEvent> { [orders = gateway.orders, watch] onResponse in
            try await orders.watchOrders(watch, options: options, onResponse: onResponse)
        }
        try await stream.accepted()
        return stream.response(to: request, slot: slot, heartbeat: gateway.config.heartbeatInterval) { event in
            ServerSentEvent.data(event.jsonText, id: event.cursor)
        }
    }
}
