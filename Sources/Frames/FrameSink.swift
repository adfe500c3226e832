/// Where an input stage delivers what it decodes, in input order.
///
/// A protocol rather than a stream of enum values so that the hot path (one
/// call per message) stays a direct, specialisable call.
public protocol FrameSink: AnyObject {
    /// A connection was seen for the first time (its handshake may be later).
    func connectionOpened(_ connection: ConnectionInfo)
    /// What is known about a connection changed (handshake done, closed, end of data).
    func connectionUpdated(_ connection: ConnectionInfo)
    /// Consuming, so that a frame is handed on down the pipeline (to a
    /// thread, into a decoded message, into the store's batch) without a
    /// copy of its text's reference at every step.
    func frame(_ frame: consuming OCPPFrame)
    func issue(_ issue: DecodeIssue)
    /// A WebSocket ping or pong: a sign of life without an OCPP message
    /// (many chargers keep their connection alive this way between long
    /// heartbeat intervals).
    func keepAlive(_ k: KeepAlive)
}

extension FrameSink {
    public func keepAlive(_ k: KeepAlive) {}
}

/// A WebSocket control frame that shows a side is alive.
public struct KeepAlive: Sendable {
    public var connection: Int
    public var time: Timestamp
    public var direction: Direction
    /// `ping` or `pong`.
    public var kind: String
    public init(connection: Int, time: Timestamp, direction: Direction, kind: String) {
        self.connection = connection
        self.time = time
        self.direction = direction
        self.kind = kind
    }
}
