/// A JSON body does not fit the message it was sent for: wrong type, bad enum name, unknown field.
/// The gateway answers it with INVALID_ARGUMENT; `message` names the field.
struct ProtoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
