/// What is known about one OCPP connection (a WebSocket over TCP, or the
/// stretch of a log that belongs to one charge point).
///
/// Inputs report it when the connection opens and again when it closes or the
/// input ends; the store keeps the last report.
public struct ConnectionInfo: Sendable {
    /// Ingest-local number, unique within one source.
    public var id: Int
    /// The charge point identity: the last segment of the WebSocket URL path,
    /// percent-decoded; for a connection whose handshake was not seen, the
    /// client endpoint (`10.0.0.5:51234`) until something better is learned.
    public var chargePoint: String
    public var identitySource: IdentitySource
    public var clientAddress: String?
    public var clientPort: Int?
    public var serverAddress: String?
    public var serverPort: Int?
    public var requestPath: String?
    /// `Sec-WebSocket-Protocol` as accepted by the server (`ocpp1.6`, …).
    public var subprotocol: String?
    /// `Sec-WebSocket-Extensions` as accepted by the server, verbatim.
    public var extensions: String?
    public var compressed: Bool
    public var handshakeSeen: Bool
    /// The HTTP status the server answered the upgrade with (101 normally).
    public var httpStatus: Int?
    /// The user name of HTTP Basic authentication (security profile 1); the
    /// password is never kept.
    public var authUser: String?
    public var openedAt: Timestamp?
    public var closedAt: Timestamp?
    /// How it ended: `close-frame`, `fin`, `rst`, `end-of-data`.
    public var closedHow: String?
    public var closeCode: Int?
    public var closeReason: String?
    /// Which side sent the first close frame, FIN or RST.
    public var closedBy: Direction?
    /// The input will report nothing more of this connection (closed, or the
    /// input ended): open calls are unanswered from here on.
    public var ended = false
    public var firstFrame: Int64
    public var lastFrame: Int64
    public var stats: ConnectionStats

    public init(id: Int, chargePoint: String, identitySource: IdentitySource, firstFrame: Int64) {
        self.id = id
        self.chargePoint = chargePoint
        self.identitySource = identitySource
        self.compressed = false
        self.handshakeSeen = false
        self.firstFrame = firstFrame
        self.lastFrame = firstFrame
        self.stats = ConnectionStats()
    }

    /// The OCPP version named by the subprotocol (`ocpp1.6` → `1.6`).
    public var ocppVersion: String? {
        guard let p = subprotocol?.lowercased(), p.hasPrefix("ocpp") else { return nil }
        return String(p.dropFirst(4))
    }
}

/// Where a connection's charge point identity came from.
public enum IdentitySource: String, Sendable {
    case urlPath = "url-path"
    case endpoint = "endpoint"
    case identityMap = "identity-map"
    /// From another connection of the same client address and server
    /// endpoint whose handshake was seen.
    case endpointPair = "endpoint-pair"
    /// From a BootNotification whose serial number belongs to a known identity.
    case bootSerial = "boot-serial"
    case log = "log"
}

/// How much of a connection was seen and decoded: the numbers that say how far
/// to trust what was derived from it.
public struct ConnectionStats: Sendable {
    /// TCP payload bytes seen, per direction (charge point → CSMS, back).
    public var bytesSeen: (UInt64, UInt64) = (0, 0)
    /// Bytes that ended in a decoded WebSocket frame, per direction.
    public var bytesDecoded: (UInt64, UInt64) = (0, 0)
    /// Gaps in the TCP stream that never filled.
    public var holes: Int = 0
    /// Bytes lost in those gaps.
    public var holeBytes: UInt64 = 0
    public var messages: Int = 0
    public var pings: Int = 0
    public var pongs: Int = 0
    public init() {}
}
