import Frames

/// What a source's writer keeps of the connections it has let go of: those
/// that ended with an identity of their own (not the provisional client
/// endpoint), once their rows are written and their version settled.
///
/// Why: the writer kept every connection of its source (its whole
/// ConnectionInfo and what each row needs of it) until the source's end,
/// where connections seen mid-stream learn their identity and version
/// (SourceWriter.resolveIdentitiesAndVersions). Memory then grew with every
/// connection a source had ever seen, about 1.5 KB each: a capture of 500
/// charge points that reconnect every two minutes (24,948 connections in
/// 100 MB) peaked at 138 MB against 100 MB for as many bytes of steady
/// connections, and a live capture of months grew without bound. That end
/// needs of an ended connection only what is kept here, which grows with
/// the charge points and the endpoints they use, not with the connections.
struct SettledConnections {
    /// A client address and a server endpoint.
    struct Endpoint: Hashable {
        var client: String?
        var server: String?
        var port: Int?

        init(_ c: ConnectionInfo) {
            client = c.clientAddress
            server = c.serverAddress
            port = c.serverPort
        }
    }

    /// The identities of URL-identified connections by endpoint: candidates
    /// for a connection of the same endpoint whose handshake was not seen.
    private var byEndpoint: [Endpoint: Set<String>] = [:]
    /// Charge points that had such a connection, identified otherwise than by its endpoint.
    private(set) var chargePoints: Set<String> = []
    /// Per charge point, the version inferred for its latest such connection
    /// that had one: the end of the source gives the charge point that
    /// version in connection order, as it did when it kept them all.
    private(set) var inferredVersions: [String: (connection: Int, version: String)] = [:]
    /// Their share of the source's counts.
    private(set) var totals = ConnectionTotals()
    /// Connections let go of (for tests and notes).
    private(set) var count = 0

    mutating func add(_ c: ConnectionInfo, inferredVersion: String?) {
        count += 1
        totals.add(c)
        chargePoints.insert(c.chargePoint)
        if c.identitySource == .urlPath { byEndpoint[Endpoint(c), default: []].insert(c.chargePoint) }
        if let v = inferredVersion, (inferredVersions[c.chargePoint]?.connection ?? Int.min) < c.id {
            inferredVersions[c.chargePoint] = (c.id, v)
        }
    }

    /// The identities of the URL-identified connections let go of that share `c`'s endpoint.
    func identities(sharingEndpointOf c: ConnectionInfo) -> Set<String> {
        byEndpoint[Endpoint(c)] ?? []
    }
}

/// The counts a source's summary takes of each of its connections.
struct ConnectionTotals {
    private var withoutHandshake = 0
    private var holes = 0
    private var holeBytes: UInt64 = 0
    private var bytesSeen: UInt64 = 0
    private var bytesDecoded: UInt64 = 0

    mutating func add(_ c: ConnectionInfo) {
        if !c.handshakeSeen { withoutHandshake += 1 }
        holes += c.stats.holes
        holeBytes += c.stats.holeBytes
        bytesSeen += c.stats.bytesSeen.0 + c.stats.bytesSeen.1
        bytesDecoded += c.stats.bytesDecoded.0 + c.stats.bytesDecoded.1
    }

    func add(to s: inout SourceSummary) {
        s.withoutHandshake += withoutHandshake
        s.holes += holes
        s.holeBytes += holeBytes
        s.bytesSeen += bytesSeen
        s.bytesDecoded += bytesDecoded
    }
}
