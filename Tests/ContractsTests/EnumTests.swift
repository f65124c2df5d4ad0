import Contracts
import InteropContracts
import Testing

@Suite("Enums keep known and unknown values")
struct EnumTests {
    @Test("every OrderState and CancelReason travels in an Order")
    func orderEnums() throws {
        for state in OrderState.allCases {
            for reason in CancelReason.allCases {
                try expectRoundTrip(Order(state: state, cancelReason: reason))
            }
        }
        for state in OrderState.allCases { try expectRoundTrip(ListOrdersRequest(state: state)) }
    }

    @Test("every PaymentStatus, ServingStatus, PayloadType and GrpclbRouteType travels")
    func otherEnums() throws {
        for status in PaymentStatus.allCases { try expectRoundTrip(Payment(status: status)) }
        for status in HealthCheckResponse.ServingStatus.allCases { try expectRoundTrip(HealthCheckResponse(status: status)) }
        for type in PayloadType.allCases { try expectRoundTrip(Payload(type: type)) }
        for type in GrpclbRouteType.allCases { try expectRoundTrip(SimpleResponse(grpclbRouteType: type)) }
    }

    @Test("a value this build does not know survives decoding and re-encoding", arguments: [5, 99, Int32.max, -1, Int32.min])
    func unknownValues(_ value: Int32) throws {
        let order = Order(state: OrderState(rawValue: value), cancelReason: CancelReason(rawValue: value))
        #expect(order.state == .unrecognized(value))
        let decoded = try Order(serializedBytes: order.serializedBytes())
        #expect(decoded.state == .unrecognized(value))
        #expect(decoded.state.rawValue == value)
        #expect(decoded.cancelReason == .unrecognized(value))
        #expect(
            try HealthCheckResponse(serializedBytes: HealthCheckResponse(status: .unrecognized(value)).serializedBytes()).status
                == .unrecognized(value))
    }

    @Test("wire values, proto names and case names agree")
    func names() {
        #expect(OrderState.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(OrderState.created.protoName == "ORDER_STATE_CREATED")
        #expect(CancelReason.userRequested.protoName == "CANCEL_REASON_USER_REQUESTED")
        #expect(HealthCheckResponse.ServingStatus.serviceUnknown.protoName == "SERVICE_UNKNOWN")
        #expect(PaymentStatus(rawValue: 2) == .declined)
        for state in OrderState.allCases {
            #expect(OrderState(protoName: state.protoName) == state)
            #expect(OrderState(rawValue: state.rawValue) == state)
        }
        #expect(OrderState(protoName: "CREATED") == nil)
        #expect(OrderState(protoName: "order_state_created") == nil)
        #expect(OrderState.unrecognized(42).protoName == "42")
        #expect(!OrderState.allCases.contains(.unrecognized(0)))
    }
}
