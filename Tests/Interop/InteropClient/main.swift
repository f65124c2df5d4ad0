// interop-client: our Swift client (HTTP2ClientTransport) running the interop cases of
// grpc/grpc doc/interop-test-descriptions.md against any TestService server.
//
//   interop-client --server_port N --test_case NAME [--server_host H] [--use_tls false]
//
// NAME is one case or `all`. Prints PASS/FAIL per case and `N passed, N failed`; exits 1 when
// any case failed.
#if canImport(Glibc)
import Glibc
#endif
import RPC
import RPCHTTP2

var host = "127.0.0.1"
var port: Int?
var testCase: String?
var arguments = Array(CommandLine.arguments.dropFirst())[...]
while let argument = arguments.popFirst() {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard let value = parts.count == 2 ? parts[1] : arguments.popFirst() else {
        print("interop-client: missing value for \(argument)")
        exit(2)
    }
    switch parts[0] {
    case "--server_host": host = value
    case "--server_port": port = Int(value)
    case "--test_case": testCase = value
    case "--use_tls" where value == "false": break
    case "--server_host_override": break
    default:
        print("interop-client: unsupported argument \(argument)")
        exit(2)
    }
}
guard let port, let testCase else {
    print("usage: interop-client --server_port N --test_case NAME [--server_host H]")
    exit(2)
}
let names = testCase == "all" ? InteropCases.names : [testCase]
guard names.allSatisfy(InteropCases.names.contains) else {
    print("interop-client: unknown test case \(testCase); known: \(InteropCases.names.joined(separator: ", "))")
    exit(2)
}

var passed = 0
var failed = 0
for name in names {
    // A fresh connection per case, as the upstream runners start one client process per case.
    let transport = HTTP2ClientTransport(config: .defaults(host: host, port: port))
    let cases = InteropCases(transport: transport)
    let started = ContinuousClock.now
    do {
        try await cases.run(name)
        passed += 1
        print("PASS \(name) (\(ContinuousClock.now - started))")
    } catch {
        failed += 1
        print("FAIL \(name): \(error)")
    }
    await transport.close()
}
print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
