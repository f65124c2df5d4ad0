// protoc-gen-orderhub: protoc runs it with a CodeGeneratorRequest on standard input and reads a
// CodeGeneratorResponse from standard output. A refusal travels in the response's `error`, which
// protoc prints before failing; only unreadable input ends the process with a non-zero status.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let input = StandardIO.readAll()
let output: [UInt8]
do {
    let request = try RequestReader.read(input)
    output = ResponseWriter.encode(files: try Generator(request: request).generate())
} catch let error as GeneratorError where !input.isEmpty {
    output = ResponseWriter.encode(error: error.message)
} catch {
    StandardIO.writeError("protoc-gen-orderhub: \(error)\nThis is a protoc plugin: run it through protoc --orderhub_out.\n")
    exit(1)
}
StandardIO.writeOutput(output)
