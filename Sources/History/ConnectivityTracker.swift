import Frames
import OCPP

/// Online and offline intervals of one charge point.
///
/// A charge point is offline while it has no open connection, or when
/// nothing was heard from it for longer than `silenceMultiple` × its
/// heartbeat interval. An offline interval runs from the last sign of life
/// (its last message, or the close) to the next one (reconnect or message).
/// Intervals at the edges of the data are marked as such, not guessed: the
/// first begins `start-of-data` when its connection was already open, the
/// last ends `end-of-data`.
final class ConnectivityTracker {
    private let chargePoint: String
    private let options: HistoryOptions
    private let emit: (ConnectivityInterval) -> Void

    private enum State { case unknown, online, offline }
    private var state = State.unknown
    private var since: Timestamp = Timestamp(microseconds: 0)
    private var began = "start-of-data"
    private var beganMessage: Int64?
    private var lastSign: Timestamp = Timestamp(microseconds: 0)
    private var lastSignMessage: Int64?
    private var openConnections: Set<Int64> = []
    private var lastConnection: Int64?
    var heartbeatSeconds: Int?
    private(set) var boots = 0

    init(chargePoint: String, options: HistoryOptions, emit: @escaping (ConnectivityInterval) -> Void) {
        self.chargePoint = chargePoint
        self.options = options
        self.emit = emit
    }

    private var silenceLimit: Int64 {
        let us = Double(heartbeatSeconds ?? options.defaultHeartbeatSeconds) * options.silenceMultiple * 1_000_000
        // Clamped: an interval is whatever a charger's answer said (a
        // 19-digit one once trapped Int64's conversion); 1e17 µs is three
        // thousand years, far from overflowing a difference of two times.
        return us.isNaN ? 0 : Int64(min(max(us, 0), 1e17))
    }

    private func close(at t: Timestamp, ended: String, message: Int64?) {
        guard state != .unknown else { return }
        emit(ConnectivityInterval(chargePoint: chargePoint, online: state == .online, from: since, to: max(t, since),
                                  began: began, ended: ended, fromMessage: beganMessage, toMessage: message,
                                  connection: lastConnection))
    }

    private func start(_ s: State, at t: Timestamp, began how: String, message: Int64?) {
        state = s
        since = t
        began = how
        beganMessage = message
    }

    /// Connections that already carried a BootNotification: a second one on
    /// the same connection is a reboot the capture saw no close for.
    private var bootedConnections: Set<Int64> = []
    private var rebootSeen = false

    /// A sign of life at `t` (a connection opening, or a message from the charge point).
    private func alive(at t: Timestamp, how: String, message: Int64?) {
        switch state {
        case .unknown:
            start(.online, at: t, began: how == "connect" ? "connect" : "start-of-data", message: message)
        case .offline:
            close(at: t, ended: how, message: message)
            start(.online, at: t, began: how, message: message)
        case .online:
            if t.microseconds - lastSign.microseconds > silenceLimit {
                close(at: lastSign, ended: "silent", message: lastSignMessage)
                start(.offline, at: lastSign, began: "silent", message: lastSignMessage)
                close(at: t, ended: how, message: message)
                start(.online, at: t, began: how, message: message)
            } else if how == "boot" && rebootSeen {
                // Booted again while online: the charger restarted quickly.
                close(at: t, ended: "reboot", message: message)
                start(.online, at: t, began: "boot", message: message)
            }
        }
        lastSign = t
        lastSignMessage = message
    }

    func connectionOpened(_ id: Int64, at t: Timestamp) {
        openConnections.insert(id)
        lastConnection = id
        alive(at: t, how: "connect", message: nil)
    }

    func connectionClosed(_ id: Int64, at t: Timestamp, how: String) {
        guard openConnections.remove(id) != nil else { return }
        guard openConnections.isEmpty, state == .online else { return }
        let reason = how == "rst" ? "rst" : "closed"
        if t.microseconds - lastSign.microseconds > silenceLimit {
            // Silent before it closed: offline from the last sign of life.
            close(at: lastSign, ended: "silent", message: lastSignMessage)
            start(.offline, at: lastSign, began: "silent", message: lastSignMessage)
            return
        }
        close(at: t, ended: reason, message: nil)
        start(.offline, at: t, began: reason, message: nil)
    }

    /// A WebSocket ping or pong from the charge point: alive, without a message.
    func keepAlive(at t: Timestamp) {
        guard state != .unknown || !openConnections.isEmpty else { return }
        alive(at: t, how: "ping", message: nil)
    }

    func message(_ m: HistoryMessage) {
        if openConnections.insert(m.connection).inserted { lastConnection = m.connection }
        guard m.direction == .chargePointToCSMS else { return }
        let boot = m.kind == .bootNotification && m.type == .call
        if boot {
            boots += 1
            rebootSeen = !bootedConnections.insert(m.connection).inserted
        }
        alive(at: m.time, how: boot ? "boot" : "message", message: m.id)
    }

    func finish(dataEnd: Timestamp?) {
        guard state != .unknown else { return }
        let end = max(dataEnd ?? lastSign, lastSign)
        if state == .online && end.microseconds - lastSign.microseconds > silenceLimit {
            close(at: lastSign, ended: "silent", message: lastSignMessage)
            start(.offline, at: lastSign, began: "silent", message: lastSignMessage)
        }
        close(at: end, ended: "end-of-data", message: nil)
        state = .unknown
    }
}
