import RPC
import Testing

/// Immediate unary methods on the router: admission around their two parts, the async form for
/// in-process callers, and registration by an `ImmediateRPCService`.
@Suite struct ImmediateUnaryRouterTests {
    static let method = MethodDescriptor(service: "test.Immediate", method: "Get", kind: .unary)
    static let context = ServerContext(path: method.path)

    /// Answers `[1]` at once; anything else later, as `[2]`.
    static func handler() -> ServerMethodHandler {
        .immediateUnary { request, _ in
            request == [1] ? .now(UnaryResponse(message: [1])) : .later { UnaryResponse(message: [2]) }
        }
    }

    static func answer(_ router: RPCRouter) throws -> @Sendable ([UInt8], ServerContext) throws -> UnaryAnswer {
        guard case .immediateUnary(let answer)? = router.handler(forPath: method.path) else {
            throw RPCError(code: .internal, message: "not an immediate handler")
        }
        return answer
    }

    @Test func bothPartsAreAdmittedAndGiveTheirSlotBack() async throws {
        let limiter = AdmissionLimiter(.init(maxConcurrent: 1, maxQueued: 0))
        var router = RPCRouter()
        router.register(Self.method, handler: Self.handler())
        let answer = try Self.answer(router.admitting(through: limiter))
        guard case .now(let response) = try answer([1], Self.context) else {
            Issue.record("a free slot should let it answer at once")
            return
        }
        #expect(response.message == [1])
        #expect(limiter.load.running == 0, "the immediate part gave its slot back")
        let later = try answer([2], Self.context)
        guard case .later = later else {
            Issue.record("answered at once")
            return
        }
        #expect(try await later.response().message == [2])
        #expect(limiter.load.running == 0, "the waiting part gave its slot back")
    }

    @Test func withoutAFreeSlotTheCallIsRefusedLikeAnyOther() async throws {
        let limiter = AdmissionLimiter(.init(maxConcurrent: 1, maxQueued: 0))
        var router = RPCRouter()
        router.register(Self.method, handler: Self.handler())
        let answer = try Self.answer(router.admitting(through: limiter))
        #expect(limiter.tryAdmit(), "the test holds the only slot")
        let first = try answer([1], Self.context)
        guard case .later = first else {
            Issue.record("answered past the limit")
            return
        }
        do {
            _ = try await first.response()
            Issue.record("admitted past the limit")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted)
        }
        limiter.release()
        #expect(limiter.load.running == 0)
        guard case .now = try answer([1], Self.context) else {
            Issue.record("a free slot should let it answer at once again")
            return
        }
    }

    @Test func inProcessCallersGetOneAsyncFunction() async throws {
        var router = RPCRouter()
        router.register(Self.method, handler: Self.handler())
        let handler = try #require(router.handler(forPath: Self.method.path))
        #expect(handler.isUnary)
        let function = try #require(handler.unaryFunction)
        #expect(try await function([1], Self.context).message == [1])
        #expect(try await function([3], Self.context).message == [2])
    }

    private struct Service: ImmediateRPCService {
        func registerMethods(with router: inout RPCRouter) {
            router.register(ImmediateUnaryRouterTests.method, handler: .unary { _, _ in UnaryResponse(message: [9]) })
        }

        func registerImmediateMethods(with router: inout RPCRouter) {
            router.register(ImmediateUnaryRouterTests.method, handler: ImmediateUnaryRouterTests.handler())
        }
    }

    @Test func anImmediateServiceMountsItsImmediateFormsLast() throws {
        var router = RPCRouter()
        router.register(Service())
        guard case .immediateUnary? = router.handler(forPath: Self.method.path) else {
            Issue.record("the generated (plain) registration won")
            return
        }
    }
}
