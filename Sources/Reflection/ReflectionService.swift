import Contracts
import RPC

/// gRPC server reflection (`grpc.reflection.v1.ServerReflection` and its pre-release twin
/// `grpc.reflection.v1alpha.ServerReflection`): lets grpcurl, grpcui, Postman and other
/// clients list a server's services and fetch the descriptors that define them, without the
/// `.proto` files.
///
/// Register it after the services it should list: it lists every service the router has when
/// it is registered, itself included.
///
/// ```swift
/// var router = RPCRouter()
/// router.register(ordersService)
/// router.register(health)
/// router.register(ReflectionService())
/// ```
public struct ReflectionService: RPCService {
    /// The v1alpha method: the same messages as v1 under the older package.
    static let v1alphaMethod = MethodDescriptor(
        service: "grpc.reflection.v1alpha.ServerReflection", method: "ServerReflectionInfo", kind: .bidirectionalStreaming)

    private let index: DescriptorIndex

    /// Describes the contract files (`ContractsDescriptors.files` by default).
    public init(files: [ProtoFileDescriptor] = ContractsDescriptors.files) {
        index = DescriptorIndex(files)
    }

    public func registerMethods(with router: inout RPCRouter) {
        let services = (router.services.union([ServerReflectionMethod.serverReflectionInfo.service, Self.v1alphaMethod.service])).sorted()
        let answers = ReflectionAnswers(index: index, services: services)
        for method in [ServerReflectionMethod.serverReflectionInfo, Self.v1alphaMethod] {
            router.registerBidirectional(method) {
                (requests: RPCAsyncSequence<ServerReflectionRequest>, responses: TypedResponseWriter<ServerReflectionResponse>, _) in
                // Each request is answered as it arrives: clients wait for one answer before asking the next.
                for try await request in requests {
                    try await responses.write(answers.answer(request))
                }
                return [:]
            }
        }
    }
}
