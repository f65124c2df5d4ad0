import RPCHTTP2
import Testing

@Suite struct ClientTargetTests {
    @Test(arguments: [
        ("payments:50052", "payments", 50052),
        ("dns:///payments:50052", "payments", 50052),
        ("dns:payments.default.svc.cluster.local:50052", "payments.default.svc.cluster.local", 50052),
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("[::1]:50051", "::1", 50051),
        ("dns:///[fd00::1]:443", "fd00::1", 443),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let target = try ClientTarget(parsing: text)
        #expect(target.host == host)
        #expect(target.port == port)
    }

    @Test(arguments: [
        "payments", "payments:", "payments:0", "payments:70000", ":50051", "::1:50051",
        "dns://8.8.8.8/payments:50052", "unix:///tmp/socket", "[::1]50051",
    ])
    func rejects(text: String) {
        #expect(throws: ClientTarget.InvalidTarget.self) { try ClientTarget(parsing: text) }
    }
}
