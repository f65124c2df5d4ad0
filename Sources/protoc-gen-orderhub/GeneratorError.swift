/// A reason the plugin refuses its input. protoc prints the message and fails the run.
struct GeneratorError: Error, Equatable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
