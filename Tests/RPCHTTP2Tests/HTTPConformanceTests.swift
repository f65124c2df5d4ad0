import Foundation
import RPC
import RPCHTTP2
import Testing

/// The server toward a plain HTTP/2 peer: Debian's `nghttp` client (nghttp2-client, in the
/// Makefile's APT_PACKAGES) sends the requests and prints every frame it receives.
@Suite struct HTTPConformanceTests {
    private static let body: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rpchttp2-empty-\(getpid()).grpc")
        _ = FileManager.default.createFile(atPath: url.path, contents: Data([0, 0, 0, 0, 0]))
        return url
    }()

    /// Runs `nghttp -nv` with `arguments`; returns its output.
    private func nghttp(_ arguments: [String]) async throws -> String {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nghttp")
            process.arguments = ["-nv", "-t", "10"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }.value
    }

    /// A request that is not gRPC gets its status and a short text body (as grpc-go answers), so
    /// its HEADERS frame does not end the stream: the DATA frame does.
    @Test func nonGRPCContentTypeIs415WithATextBody() async throws {
        try await withServer { _, port in
            let output = try await nghttp([
                "-d", Self.body.path, "-H", "content-type: text/plain",
                "http://127.0.0.1:\(port)/test.Echo/Unary",
            ])
            #expect(output.contains(":status: 415"))
            #expect(output.contains("content-type: text/plain; charset=utf-8"))
            #expect(output.contains("recv HEADERS frame <length=") && output.contains("; END_HEADERS\n"), "HEADERS without END_STREAM")
            #expect(!output.contains("; END_STREAM | END_HEADERS"), "no HEADERS with END_STREAM")
            #expect(output.contains("recv DATA frame <length=") && output.contains("; END_STREAM\n"), "DATA with END_STREAM")
        }
    }

    @Test func getOnAnRPCPathIs405WithATextBody() async throws {
        try await withServer { _, port in
            let output = try await nghttp(["http://127.0.0.1:\(port)/test.Echo/Unary"])
            #expect(output.contains(":status: 405"))
            #expect(output.contains("allow: POST"))
            #expect(output.contains("recv DATA frame <length="), "a text body")
        }
    }

    /// The client half-closed with its request, so DEADLINE_EXCEEDED (Trailers-Only, END_STREAM)
    /// closes the stream and no RST_STREAM is needed; with the client still sending, RST_STREAM
    /// NO_ERROR follows it (the abuse tests drive that with raw frames).
    @Test func serverEndsTheCallAtGRPCTimeoutWithDeadlineExceeded() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            // nghttp does not time out on its own: only the server's deadline can end this call.
            let output = try await nghttp([
                "-d", Self.body.path, "-H", "content-type: application/grpc", "-H", "te: trailers",
                "-H", "grpc-timeout: 200m", "http://127.0.0.1:\(port)/test.Echo/Sleep",
            ])
            #expect(output.contains("grpc-status: 4"))
            #expect(await probe.eventually { probe.cancelled == 1 }, "the handler saw the cancellation")
        }
    }

    @Test func grpcResponseShape() async throws {
        try await withServer { _, port in
            let output = try await nghttp([
                "-d", Self.body.path, "-H", "content-type: application/grpc", "-H", "te: trailers",
                "http://127.0.0.1:\(port)/test.Echo/Unary",
            ])
            #expect(output.contains(":status: 200"))
            #expect(output.contains("content-type: application/grpc"))
            #expect(output.contains("recv DATA frame <length=5"))
            #expect(output.contains("grpc-status: 0"))
            #expect(!output.contains("recv PING"), "no unsolicited frames")
        }
    }
}
