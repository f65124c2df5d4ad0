import ArgumentParser
import RPCHTTP2

/// Keepalive PINGs on this process's connections to the services it calls (Orders → Payments,
/// the gateway → Orders), so a connection a network partition or a frozen peer left silent is
/// closed and replaced within seconds instead of after minutes of TCP retransmissions.
struct KeepaliveOptions: ParsableArguments {
    @Option(
        help:
            "Seconds without anything received on a connection to a called service with calls open before it is sent an HTTP/2 PING; 0 sends none (ORDERHUB_KEEPALIVE_TIME; default 10)."
    )
    var keepaliveTime: Double?

    @Option(
        help:
            "Seconds a keepalive PING may wait for its answer before the connection is closed, its calls failed with UNAVAILABLE and a new one made (ORDERHUB_KEEPALIVE_TIMEOUT; default 5)."
    )
    var keepaliveTimeout: Double?

    func config() throws -> HTTP2ClientTransport.Keepalive {
        let time = try Setting.double(keepaliveTime, env: "ORDERHUB_KEEPALIVE_TIME", name: "keepalive-time", default: 10)
        guard time >= 0, time.isFinite else { throw SettingError("--keepalive-time must be 0 (off) or a positive number of seconds") }
        let timeout = try Setting.seconds(keepaliveTimeout, env: "ORDERHUB_KEEPALIVE_TIMEOUT", name: "keepalive-timeout", default: 5)
        return HTTP2ClientTransport.Keepalive(time: time == 0 ? nil : .milliseconds(Int64((time * 1000).rounded())), timeout: timeout)
    }
}
