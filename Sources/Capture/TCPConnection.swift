import Frames

/// One side of a TCP connection: its reassembler, its in-order bytes not
/// yet parsed, and its WebSocket parser once the handshake is done.
final class ConnectionSide {
    let endpoint: Endpoint
    var reassembler = StreamReassembler()
    var queue = ByteQueue()
    var ws: WebSocketStream?
    var finSeen = false
    /// The HTTP head of this side has been parsed (request or response).
    var headDone = false
    /// Body bytes of a refused upgrade still to skip.
    var bodyToSkip = 0

    init(endpoint: Endpoint) { self.endpoint = endpoint }
}

/// What one TCP connection carries, as far as it has been recognised.
enum ApplicationProtocol {
    /// No payload yet, or too little to tell.
    case undetermined
    /// An HTTP exchange that should upgrade to WebSocket.
    case http
    case websocket
    /// TLS: OCPP over wss:// cannot be read without keys.
    case tls
    /// Anything else; its bytes are counted, not decoded.
    case other
}

/// The state of one TCP connection between two endpoints.
final class TCPConnection {
    let a: ConnectionSide
    let b: ConnectionSide
    var info: ConnectionInfo
    var app = ApplicationProtocol.undetermined
    /// The side that opened the connection (sent the SYN or the GET): the charge point.
    var client: ConnectionSide?
    /// The opener is known from a SYN, the HTTP request or the masking of a
    /// frame, not guessed from the port numbers.
    var clientConfirmed = false
    /// Reported to the sink (only OCPP-looking connections are).
    var announced = false
    var closed = false
    var lastActivity: Int64

    init(id: Int, a: Endpoint, b: Endpoint, frame: Int64, time: Int64) {
        self.a = ConnectionSide(endpoint: a)
        self.b = ConnectionSide(endpoint: b)
        info = ConnectionInfo(id: id, chargePoint: "", identitySource: .endpoint, firstFrame: frame)
        lastActivity = time
    }

    func side(of endpoint: Endpoint) -> ConnectionSide { endpoint == a.endpoint ? a : b }
    func other(_ s: ConnectionSide) -> ConnectionSide { s === a ? b : a }

    var server: ConnectionSide? { client.map { other($0) } }

    func direction(of s: ConnectionSide) -> Direction {
        if let client { return s === client ? .chargePointToCSMS : .csmsToChargePoint }
        // Unknown opener (capture started mid-connection): the charge point
        // is most likely the side on the ephemeral (higher) port.
        return s.endpoint.port > other(s).endpoint.port ? .chargePointToCSMS : .csmsToChargePoint
    }

    func setClient(_ s: ConnectionSide, confirmed: Bool = true) {
        if clientConfirmed { return }
        if client != nil && !confirmed { return }
        clientConfirmed = confirmed
        if client === s { return }
        client = s
        let srv = other(s)
        info.clientAddress = s.endpoint.address.text
        info.clientPort = Int(s.endpoint.port)
        info.serverAddress = srv.endpoint.address.text
        info.serverPort = Int(srv.endpoint.port)
        if info.identitySource == .endpoint { info.chargePoint = s.endpoint.text }
        else if info.identitySource == .identityMap { info.identitySource = .endpoint; info.chargePoint = s.endpoint.text }
    }
}
