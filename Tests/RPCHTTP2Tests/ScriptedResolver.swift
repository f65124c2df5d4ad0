import NIOCore
import RPCHTTP2
import Synchronization

/// A resolver whose answer the test sets: stands in for DNS, so a name can have several
/// loopback addresses without a hosts file.
final class ScriptedResolver: NameResolver {
    struct LookupFailed: Error {}

    private let state: Mutex<(answer: [SocketAddress]?, lookups: Int)>

    init(_ addresses: [SocketAddress]) {
        state = Mutex((addresses, 0))
    }

    /// The next lookups return `addresses`.
    func answer(_ addresses: [SocketAddress]) {
        state.withLock { $0.answer = addresses }
    }

    /// The next lookups fail.
    func failLookups() {
        state.withLock { $0.answer = nil }
    }

    var lookups: Int { state.withLock { $0.lookups } }

    func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        let answer = state.withLock { state in
            state.lookups += 1
            return state.answer
        }
        guard let answer else { throw LookupFailed() }
        return answer
    }
}
