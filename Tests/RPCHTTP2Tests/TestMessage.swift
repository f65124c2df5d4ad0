import RPC

/// A message that is just its bytes, so these tests need no generated code.
struct TestMessage: RPCMessage, Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    init(serializedBytes: [UInt8]) throws {
        self.bytes = serializedBytes
    }

    func serializedBytes() -> [UInt8] { bytes }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
