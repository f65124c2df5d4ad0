// TEMPORARY stand-ins, written by the gateway branch so it compiles before protoc-gen-orderhub's
// output lands. They follow docs/generated-code.md's API; the bytes they produce are NOT protobuf
// (JSON through Codable), so they only work in-process. Delete this file when Generated/ lands.
import Foundation
import RPC

private func standInEncode<T: Encodable>(_ value: T) -> [UInt8] {
    Array((try? JSONEncoder().encode(value)) ?? Data())
}

private func standInDecode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], name: String) throws -> T {
    do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch { throw MessageDecodingError(messageName: name) }
}

/// Stand-in for the generated enum.
public enum OrderState: Sendable, Hashable, CaseIterable, Codable {
    case unspecified, created, confirmed, delivered, cancelled
    case unrecognized(Int32)
    public static var allCases: [OrderState] { [.unspecified, .created, .confirmed, .delivered, .cancelled] }
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .created
        case 2: self = .confirmed
        case 3: self = .delivered
        case 4: self = .cancelled
        default: self = .unrecognized(rawValue)
        }
    }
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .created: 1
        case .confirmed: 2
        case .delivered: 3
        case .cancelled: 4
        case .unrecognized(let value): value
        }
    }
    public var protoName: String {
        switch self {
        case .unspecified: "ORDER_STATE_UNSPECIFIED"
        case .created: "ORDER_STATE_CREATED"
        case .confirmed: "ORDER_STATE_CONFIRMED"
        case .delivered: "ORDER_STATE_DELIVERED"
        case .cancelled: "ORDER_STATE_CANCELLED"
        case .unrecognized(let value): "\(value)"
        }
    }
    public init?(protoName: String) {
        guard let state = Self.allCases.first(where: { $0.protoName == protoName }) else { return nil }
        self = state
    }
}

/// Stand-in for the generated enum.
public enum CancelReason: Sendable, Hashable, CaseIterable, Codable {
    case unspecified, userRequested, paymentDeclined, paymentTimeout
    case unrecognized(Int32)
    public static var allCases: [CancelReason] { [.unspecified, .userRequested, .paymentDeclined, .paymentTimeout] }
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .userRequested
        case 2: self = .paymentDeclined
        case 3: self = .paymentTimeout
        default: self = .unrecognized(rawValue)
        }
    }
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .userRequested: 1
        case .paymentDeclined: 2
        case .paymentTimeout: 3
        case .unrecognized(let value): value
        }
    }
    public var protoName: String {
        switch self {
        case .unspecified: "CANCEL_REASON_UNSPECIFIED"
        case .userRequested: "CANCEL_REASON_USER_REQUESTED"
        case .paymentDeclined: "CANCEL_REASON_PAYMENT_DECLINED"
        case .paymentTimeout: "CANCEL_REASON_PAYMENT_TIMEOUT"
        case .unrecognized(let value): "\(value)"
        }
    }
    public init?(protoName: String) {
        guard let reason = Self.allCases.first(where: { $0.protoName == protoName }) else { return nil }
        self = reason
    }
}

/// Stand-in for the generated message.
public struct LineItem: RPCMessage, Hashable, Codable {
    public var sku: String
    public var quantity: Int32
    public var unitPriceCents: Int64
    public init(sku: String = "", quantity: Int32 = 0, unitPriceCents: Int64 = 0) {
        self.sku = sku; self.quantity = quantity; self.unitPriceCents = unitPriceCents
    }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.LineItem") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct Order: RPCMessage, Hashable, Codable {
    public var id: String
    public var state: OrderState
    public var customerID: String
    public var items: [LineItem]
    public var totalCents: Int64
    public var currency: String
    public var cancelReason: CancelReason
    public var paymentID: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var deliverAt: Int64
    public var requestID: String
    public init(
        id: String = "", state: OrderState = .unspecified, customerID: String = "", items: [LineItem] = [],
        totalCents: Int64 = 0, currency: String = "", cancelReason: CancelReason = .unspecified, paymentID: String = "",
        createdAt: Int64 = 0, updatedAt: Int64 = 0, deliverAt: Int64 = 0, requestID: String = ""
    ) {
        self.id = id; self.state = state; self.customerID = customerID; self.items = items
        self.totalCents = totalCents; self.currency = currency; self.cancelReason = cancelReason
        self.paymentID = paymentID; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.deliverAt = deliverAt; self.requestID = requestID
    }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.Order") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct CreateOrderRequest: RPCMessage, Hashable, Codable {
    public var customerID: String
    public var items: [LineItem]
    public var currency: String
    public var paymentToken: String
    public var requestID: String
    public init(customerID: String = "", items: [LineItem] = [], currency: String = "", paymentToken: String = "", requestID: String = "") {
        self.customerID = customerID; self.items = items; self.currency = currency
        self.paymentToken = paymentToken; self.requestID = requestID
    }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.CreateOrderRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct GetOrderRequest: RPCMessage, Hashable, Codable {
    public var id: String
    public init(id: String = "") { self.id = id }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.GetOrderRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct CancelOrderRequest: RPCMessage, Hashable, Codable {
    public var id: String
    public init(id: String = "") { self.id = id }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.CancelOrderRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct WatchOrderRequest: RPCMessage, Hashable, Codable {
    public var id: String
    public init(id: String = "") { self.id = id }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.WatchOrderRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct ListOrdersRequest: RPCMessage, Hashable, Codable {
    public var pageSize: Int32
    public var pageToken: String
    public var state: OrderState
    public var customerID: String
    public init(pageSize: Int32 = 0, pageToken: String = "", state: OrderState = .unspecified, customerID: String = "") {
        self.pageSize = pageSize; self.pageToken = pageToken; self.state = state; self.customerID = customerID
    }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.ListOrdersRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct ListOrdersResponse: RPCMessage, Hashable, Codable {
    public var orders: [Order]
    public var nextPageToken: String
    public init(orders: [Order] = [], nextPageToken: String = "") { self.orders = orders; self.nextPageToken = nextPageToken }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "orderhub.v1.ListOrdersResponse") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct HealthCheckRequest: RPCMessage, Hashable, Codable {
    public var service: String
    public init(service: String = "") { self.service = service }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "grpc.health.v1.HealthCheckRequest") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated message.
public struct HealthCheckResponse: RPCMessage, Hashable, Codable {
    /// Stand-in for the generated nested enum.
    public enum ServingStatus: Sendable, Hashable, Codable {
        case unknown, serving, notServing, serviceUnknown
        case unrecognized(Int32)
        public var protoName: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            case .unrecognized(let value): "\(value)"
            }
        }
    }
    public var status: ServingStatus
    public init(status: ServingStatus = .unknown) { self.status = status }
    public init(serializedBytes: [UInt8]) throws { self = try standInDecode(Self.self, serializedBytes, name: "grpc.health.v1.HealthCheckResponse") }
    public func serializedBytes() -> [UInt8] { standInEncode(self) }
}

/// Stand-in for the generated descriptors.
public enum OrdersMethod {
    public static let createOrder = MethodDescriptor(service: "orderhub.v1.Orders", method: "CreateOrder", kind: .unary)
    public static let getOrder = MethodDescriptor(service: "orderhub.v1.Orders", method: "GetOrder", kind: .unary)
    public static let cancelOrder = MethodDescriptor(service: "orderhub.v1.Orders", method: "CancelOrder", kind: .unary)
    public static let listOrders = MethodDescriptor(service: "orderhub.v1.Orders", method: "ListOrders", kind: .unary)
    public static let watchOrder = MethodDescriptor(service: "orderhub.v1.Orders", method: "WatchOrder", kind: .serverStreaming)
    public static let all = [createOrder, getOrder, cancelOrder, listOrders, watchOrder]
}

/// Stand-in for the generated descriptors.
public enum HealthMethod {
    public static let check = MethodDescriptor(service: "grpc.health.v1.Health", method: "Check", kind: .unary)
    public static let watch = MethodDescriptor(service: "grpc.health.v1.Health", method: "Watch", kind: .serverStreaming)
    public static let all = [check, watch]
}

/// Stand-in for the generated service protocol.
public protocol OrdersService: RPCService {
    func createOrder(_ request: CreateOrderRequest, context: ServerContext) async throws -> Order
    func getOrder(_ request: GetOrderRequest, context: ServerContext) async throws -> Order
    func cancelOrder(_ request: CancelOrderRequest, context: ServerContext) async throws -> Order
    func listOrders(_ request: ListOrdersRequest, context: ServerContext) async throws -> ListOrdersResponse
    func watchOrder(_ request: WatchOrderRequest, responses: RPCWriter<Order>, context: ServerContext) async throws
}

extension OrdersService {
    public func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(OrdersMethod.createOrder) { try await self.createOrder($0, context: $1) }
        router.registerUnary(OrdersMethod.getOrder) { try await self.getOrder($0, context: $1) }
        router.registerUnary(OrdersMethod.cancelOrder) { try await self.cancelOrder($0, context: $1) }
        router.registerUnary(OrdersMethod.listOrders) { try await self.listOrders($0, context: $1) }
        router.registerServerStreaming(OrdersMethod.watchOrder) { try await self.watchOrder($0, responses: $1, context: $2) }
    }
}

/// Stand-in for the generated service protocol.
public protocol HealthService: RPCService {
    func check(_ request: HealthCheckRequest, context: ServerContext) async throws -> HealthCheckResponse
    func watch(_ request: HealthCheckRequest, responses: RPCWriter<HealthCheckResponse>, context: ServerContext) async throws
}

extension HealthService {
    public func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(HealthMethod.check) { try await self.check($0, context: $1) }
        router.registerServerStreaming(HealthMethod.watch) { try await self.watch($0, responses: $1, context: $2) }
    }
}

/// Stand-in for the generated client stub.
public struct OrdersClient: Sendable {
    public let client: RPCClient
    public init(_ client: RPCClient) { self.client = client }
    public init(transport: any ClientTransport) { self.client = RPCClient(transport: transport) }
    public func createOrder(_ request: CreateOrderRequest, options: CallOptions = .defaults) async throws -> Order {
        try await client.unary(OrdersMethod.createOrder, request: request, options: options).message
    }
    public func getOrder(_ request: GetOrderRequest, options: CallOptions = .defaults) async throws -> Order {
        try await client.unary(OrdersMethod.getOrder, request: request, options: options).message
    }
    public func cancelOrder(_ request: CancelOrderRequest, options: CallOptions = .defaults) async throws -> Order {
        try await client.unary(OrdersMethod.cancelOrder, request: request, options: options).message
    }
    public func listOrders(_ request: ListOrdersRequest, options: CallOptions = .defaults) async throws -> ListOrdersResponse {
        try await client.unary(OrdersMethod.listOrders, request: request, options: options).message
    }
    public func watchOrder<Result: Sendable>(
        _ request: WatchOrderRequest, options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Order>) async throws -> Result
    ) async throws -> Result {
        try await client.serverStreaming(OrdersMethod.watchOrder, request: request, options: options, onResponse: onResponse)
    }
}

/// Stand-in for the generated client stub.
public struct HealthClient: Sendable {
    public let client: RPCClient
    public init(_ client: RPCClient) { self.client = client }
    public init(transport: any ClientTransport) { self.client = RPCClient(transport: transport) }
    public func check(_ request: HealthCheckRequest, options: CallOptions = .defaults) async throws -> HealthCheckResponse {
        try await client.unary(HealthMethod.check, request: request, options: options).message
    }
}
