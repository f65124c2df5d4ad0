import Contracts
import RPC
import Synchronization
import Testing
@testable import Reflection

@Suite struct ReflectionServiceTests {
    private let answers = ReflectionAnswers(
        index: DescriptorIndex(ContractsDescriptors.files),
        services: ["orderhub.v1.Orders"])

    private func ask(_ request: ServerReflectionRequest.MessageRequest) -> ServerReflectionResponse.MessageResponse? {
        answers.answer(ServerReflectionRequest(host: "h", messageRequest: request)).messageResponse
    }

    /// The file names of a file_descriptor_response, read from each FileDescriptorProto's
    /// field 1 (`name`, tag 0x0A; every name here is shorter than 128 bytes).
    private func fileNames(_ response: ServerReflectionResponse.MessageResponse?) -> [String] {
        guard case .fileDescriptorResponse(let files)? = response else { return [] }
        return files.fileDescriptorProto.map { bytes in
            guard bytes.count > 2, bytes[0] == 0x0A, Int(bytes[1]) + 2 <= bytes.count else { return "?" }
            return String(decoding: bytes[2..<(2 + Int(bytes[1]))], as: UTF8.self)
        }
    }

    private func errorCode(_ response: ServerReflectionResponse.MessageResponse?) -> Int32? {
        guard case .errorResponse(let error)? = response else { return nil }
        return error.errorCode
    }

    @Test(arguments: [
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
    ])
    func registersV1AndV1alphaAndListsEveryServiceBeforeIt(path: String) async throws {
        var router = RPCRouter()
        router.register(
            MethodDescriptor(service: "orderhub.v1.Orders", method: "GetOrder", kind: .unary),
            handler: .unary { _, _ in UnaryResponse(message: []) })
        router.register(ReflectionService())
        guard case .streaming(let handler)? = router.handler(forPath: path) else { Issue.record("\(path) not mounted"); return }
        let written = Mutex<[[UInt8]]>([])
        let requests = [
            ServerReflectionRequest(messageRequest: .listServices("")),
            ServerReflectionRequest(messageRequest: .fileByFilename("nope.proto")),
        ]
        _ = try await handler(
            .of(requests.map { $0.serializedBytes() }),
            ServerResponseWriter(sendInitialMetadata: { _ in }, messages: RPCWriter { bytes in written.withLock { $0.append(bytes) } }),
            ServerContext(path: path))
        let answers = try written.withLock { $0 }.map { try ServerReflectionResponse(serializedBytes: $0) }
        #expect(answers.count == 2)
        guard case .listServicesResponse(let list)? = answers.first?.messageResponse else { Issue.record("no list"); return }
        #expect(
            list.service.map(\.name) == [
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
                "orderhub.v1.Orders",
            ])
        #expect(errorCode(answers.last?.messageResponse) == Int32(StatusCode.notFound.rawValue))
    }

    @Test func listServicesEchoesTheRequest() {
        let response = answers.answer(ServerReflectionRequest(host: "h", messageRequest: .listServices("*")))
        #expect(response.validHost == "h")
        #expect(response.originalRequest?.messageRequest == .listServices("*"))
        guard case .listServicesResponse(let list)? = response.messageResponse else { Issue.record("no list"); return }
        #expect(list.service.map(\.name) == ["orderhub.v1.Orders"])
    }

    @Test(arguments: ["orderhub.v1.Orders", "orderhub.v1.Orders.GetOrder", "orderhub.v1.LineItem", ".orderhub.v1.OrderState"])
    func symbolResolvesToItsFileAndEveryImport(symbol: String) {
        let names = fileNames(ask(.fileContainingSymbol(symbol)))
        #expect(names.first == "orderhub/v1/orders.proto")
        #expect(Set(names.dropFirst()) == ["google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto"])
    }

    @Test(arguments: ["orderhub.v1.Order.total_cents", "orderhub.v1.ORDER_STATE_CREATED", "orderhub.v1.CreateOrderRequest.items"])
    func fieldsAndEnumValuesResolveAsProtobufScopesThem(symbol: String) {
        #expect(fileNames(ask(.fileContainingSymbol(symbol))).first == "orderhub/v1/orders.proto")
    }

    @Test func nestedEnumsAndOtherFilesResolve() {
        #expect(fileNames(ask(.fileContainingSymbol("grpc.health.v1.HealthCheckResponse.ServingStatus"))) == ["grpc/health/v1/health.proto"])
        #expect(fileNames(ask(.fileContainingSymbol("grpc.health.v1.HealthCheckResponse.SERVING"))) == ["grpc/health/v1/health.proto"])
        #expect(errorCode(ask(.fileContainingSymbol("grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING"))) == 5)
        #expect(fileNames(ask(.fileContainingSymbol("orderhub.v1.Payments.ProcessPayment"))).first == "orderhub/v1/payments.proto")
        #expect(fileNames(ask(.fileContainingSymbol("grpc.reflection.v1alpha.ServerReflection"))) == ["grpc/reflection/v1alpha/reflection.proto"])
    }

    @Test func fileByFilenameIncludesTransitiveDependencies() {
        #expect(
            fileNames(ask(.fileByFilename("google/api/annotations.proto")))
                == ["google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto"])
        #expect(fileNames(ask(.fileByFilename("google/protobuf/descriptor.proto"))) == ["google/protobuf/descriptor.proto"])
    }

    @Test func extensionsAreKnown() {
        let http = ask(.fileContainingExtension(ExtensionRequest(containingType: "google.protobuf.MethodOptions", extensionNumber: 72_295_728)))
        #expect(fileNames(http).first == "google/api/annotations.proto")
        guard case .allExtensionNumbersResponse(let numbers)? = ask(.allExtensionNumbersOfType("google.protobuf.MethodOptions")) else {
            Issue.record("no numbers"); return
        }
        #expect(numbers.extensionNumber == [72_295_728] && numbers.baseTypeName == "google.protobuf.MethodOptions")
        guard case .allExtensionNumbersResponse(let none)? = ask(.allExtensionNumbersOfType("orderhub.v1.Order")) else {
            Issue.record("no numbers for a known message"); return
        }
        #expect(none.extensionNumber.isEmpty)
    }

    @Test func unknownNamesAreNotFound() {
        let notFound = Int32(StatusCode.notFound.rawValue)
        #expect(errorCode(ask(.fileContainingSymbol("orderhub.v1.Nope"))) == notFound)
        #expect(errorCode(ask(.fileByFilename("nope.proto"))) == notFound)
        #expect(errorCode(ask(.fileContainingExtension(ExtensionRequest(containingType: "orderhub.v1.Order", extensionNumber: 5)))) == notFound)
        #expect(errorCode(ask(.allExtensionNumbersOfType("orderhub.v1.Nope"))) == notFound)
    }
}
