/// A JSON body does not fit the message it was sent for: wrong type, bad enum name, unknown field.
/// The gateway answers it with INVALID_ARGUMENT; `message` names the field.
public struct ProtoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
