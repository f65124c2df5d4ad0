import Payments
import RPC
import StorageSupport
import Testing
@testable import Orders

/// The one mapping from failures to statuses, at the edge of each service, and the mapping
/// from a Payments call's status to what the dispatcher does with it.
@Suite("Errors at the edge")
struct ErrorMappingTests {
    @Test(arguments: [
        (StorageError.closed, StatusCode.unavailable, "the service is shutting down"),
        (.busy("database is locked"), .unavailable, "the database is busy; try again"),
        (.unavailable("connection refused"), .unavailable, "the database is unreachable; try again later"),
        (.diskFull("database or disk is full"), .resourceExhausted, "the database's disk is full; writes fail until space is freed"),
        (.corrupt("database disk image is malformed"), .dataLoss, "the database is damaged"),
        (.constraint("UNIQUE constraint failed: orders.id"), .internal, "internal error"),
        (.malformedRow(column: "state"), .internal, "internal error"),
        (.schemaTooNew(found: 9, known: 3), .internal, "internal error"),
    ])
    func storageFailuresMapOnceForBothServices(error: StorageError, code: StatusCode, message: String) {
        for status in [RPCError.orders(error), RPCError.payments(error)] {
            #expect(status.code == code)
            // The driver's text (a file path, a query) never reaches the peer.
            #expect(status.message == message)
        }
    }

    @Test func domainRefusalsKeepTheirOwnStatuses() {
        #expect(RPCError.orders(OrderError.notFound(orderID: "o-1")) == .notFound("order o-1 not found"))
        #expect(RPCError.orders(OrderError.requestIDReused(requestID: "r")).code == .alreadyExists)
        #expect(RPCError.orders(OrderError.permissionDenied("not yours")).code == .permissionDenied)
        #expect(RPCError.payments(PaymentError.mismatchedRepeat(orderID: "o-1")).code == .alreadyExists)
        #expect(RPCError.payments(PaymentError.invalidArgument(field: "amount_cents", problem: "must be positive")).code == .invalidArgument)
    }

    @Test func statusesAndCancellationPassAndTheRestIsInternal() {
        struct Unexpected: Error {}
        #expect(RPCError.orders(RPCError.unauthenticated("no token")) == .unauthenticated("no token"))
        #expect(RPCError.payments(CancellationError()).code == .cancelled)
        #expect(RPCError.orders(Unexpected()) == .internal("internal error"))
    }

    @Test(arguments: [
        (StatusCode.invalidArgument, GRPCPaymentGateway.Call.charge, PaymentGatewayError.Kind.refused),
        (.failedPrecondition, .charge, .refused),
        (.outOfRange, .charge, .refused),
        (.notFound, .charge, .failed),
        (.notFound, .refund, .nothingToRefund),
        (.failedPrecondition, .refund, .nothingToRefund),
        (.invalidArgument, .refund, .failed),
        (.unauthenticated, .charge, .callerRejected),
        (.permissionDenied, .refund, .callerRejected),
        (.unimplemented, .charge, .callerRejected),
        (.unavailable, .charge, .unreachable),
        (.deadlineExceeded, .refund, .unreachable),
        (.cancelled, .charge, .unreachable),
        (.internal, .charge, .failed),
        (.resourceExhausted, .refund, .failed),
    ])
    func paymentsStatusesBecomeGatewayErrors(code: StatusCode, call: GRPCPaymentGateway.Call, kind: PaymentGatewayError.Kind) {
        #expect(GRPCPaymentGateway.kind(of: code, call: call) == kind)
    }
}
