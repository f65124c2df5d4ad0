import Contracts
import RPC

/// The answer to each kind of reflection request. Unknown files, symbols and extensions get
/// an `error_response` with NOT_FOUND in the stream (the call itself goes on), as grpc-go's
/// reflection service answers.
struct ReflectionAnswers: Sendable {
    let index: DescriptorIndex
    /// The fully qualified names `list_services` returns.
    let services: [String]

    func answer(_ request: ServerReflectionRequest) -> ServerReflectionResponse {
        ServerReflectionResponse(validHost: request.host, originalRequest: request, messageResponse: response(to: request))
    }

    private func response(to request: ServerReflectionRequest) -> ServerReflectionResponse.MessageResponse {
        switch request.messageRequest {
        case .listServices?:
            return .listServicesResponse(ListServiceResponse(service: services.map { ServiceResponse(name: $0) }))
        case .fileByFilename(let name)?:
            return files(named: name, missing: "file \(name) not found")
        case .fileContainingSymbol(let symbol)?:
            guard let name = index.file(containingSymbol: symbol) else { return notFound("symbol \(symbol) not found") }
            return files(named: name, missing: "symbol \(symbol) not found")
        case .fileContainingExtension(let request)?:
            guard let name = index.file(extending: request.containingType, number: request.extensionNumber) else {
                return notFound("extension \(request.extensionNumber) of \(request.containingType) not found")
            }
            return files(named: name, missing: "extension not found")
        case .allExtensionNumbersOfType(let type)?:
            guard let numbers = index.extensionNumbers(of: type) else { return notFound("type \(type) not found") }
            return .allExtensionNumbersResponse(ExtensionNumberResponse(baseTypeName: type, extensionNumber: numbers))
        case nil:
            return .errorResponse(
                ErrorResponse(
                    errorCode: Int32(StatusCode.invalidArgument.rawValue),
                    errorMessage: "the request names no message_request"))
        }
    }

    /// The file and everything it imports, each a serialized FileDescriptorProto.
    private func files(named name: String, missing: String) -> ServerReflectionResponse.MessageResponse {
        guard let files = index.fileWithDependencies(name) else { return notFound(missing) }
        return .fileDescriptorResponse(FileDescriptorResponse(fileDescriptorProto: files.map(\.serialized)))
    }

    private func notFound(_ message: String) -> ServerReflectionResponse.MessageResponse {
        .errorResponse(ErrorResponse(errorCode: Int32(StatusCode.notFound.rawValue), errorMessage: message))
    }
}
