/// Keepalive settings.
extension HTTP2ClientTransport {
    /// HTTP/2 PINGs that find a dead connection: one a silent network partition or a frozen
    /// peer left open, which TCP alone reports only after minutes of retransmissions.
    ///
    /// After `time` with nothing received on a connection that has calls open, the client sends a
    /// PING; when its ACK has not arrived `timeout` later, the connection is closed, its open
    /// calls fail with UNAVAILABLE, and the next call connects anew. Any frame received counts
    /// as a sign of life, so a busy connection is never pinged. The semantics are gRPC's
    /// (`GRPC_ARG_KEEPALIVE_TIME_MS`, `_TIMEOUT_MS`, `_PERMIT_WITHOUT_CALLS`).
    ///
    /// Our `RPCServer` answers every PING and enforces no minimum interval between them. A
    /// gRPC core server does by default (a PING less than 5 minutes after the last one, with
    /// nothing sent in between, is a strike; the third gets GOAWAY ENHANCE_YOUR_CALM): against
    /// one, a quiet streaming call should use a longer `time` or the server should allow pings.
    public struct Keepalive: Sendable, Hashable {
        /// Quiet time (nothing received) before a PING; nil sends none.
        public var time: Duration?
        /// How long the PING's ACK may take before the connection is closed as dead.
        public var timeout: Duration
        /// Whether a connection with no open call is pinged too (it otherwise learns it is dead
        /// only when a call finds out).
        public var withoutCalls: Bool

        /// Keepalive settings.
        public init(time: Duration? = .seconds(10), timeout: Duration = .seconds(5), withoutCalls: Bool = false) {
            self.time = time
            self.timeout = timeout
            self.withoutCalls = withoutCalls
        }

        /// A PING after 10 s of quiet on a connection with calls open, dead after 5 s more.
        public static var defaults: Keepalive { Keepalive() }

        /// No PINGs: a dead connection is noticed only by TCP or the calls' deadlines.
        public static var disabled: Keepalive { Keepalive(time: nil) }
    }
}
