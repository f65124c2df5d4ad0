// contracts-probe: the Swift side of the cross-language contract tests (Tests/python/contracts).
//
//   contracts-probe samples                 names of the sample messages, one per line
//   contracts-probe encode SAMPLE           the sample's protobuf bytes, as hex
//   contracts-probe decode TYPE HEX         the message decoded from HEX, as proto3 JSON
//                                           (exit 2 and a message on stderr when it does not decode)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "samples" where arguments.count == 1:
    for sample in Samples.all { print(sample.name) }
case "encode" where arguments.count == 2:
    guard let sample = Samples.all.first(where: { $0.name == arguments[1] }) else { Probe.fail("unknown sample \(arguments[1])") }
    print(Hex.encode(sample.message.serializedBytes()))
case "decode" where arguments.count == 3:
    guard let type = Probe.types[arguments[1]] else { Probe.fail("unknown message type \(arguments[1])") }
    guard let bytes = Hex.decode(arguments[2]) else { Probe.fail("not hex: \(arguments[2])") }
    do {
        print(JSONDump.object(try type.init(serializedBytes: bytes)))
    } catch {
        Probe.fail("\(error)", status: 2)
    }
default:
    Probe.fail("usage: contracts-probe samples | encode SAMPLE | decode TYPE HEX")
}
