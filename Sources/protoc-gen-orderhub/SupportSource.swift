/// The runtime support every generated module compiles with: the arena that owns a message's C
/// allocations while it is packed, and the budgeted unpacker that copies a message out of C.
///
/// It is emitted as source, once per module, rather than living in a library, so that the RPC
/// core stays free of C and each generated module (`Contracts`, `InteropContracts`) is
/// self-contained. The text is the same for every module.
enum SupportSource {
    /// File name and content of each support file.
    static var files: [(name: String, content: String)] {
        [("ProtobufCArena.swift", arena), ("ProtobufCUnpacker.swift", unpacker)]
    }
}
