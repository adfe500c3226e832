/// The layer of the decoding stack where something could not be decoded.
///
/// Nothing is dropped silently: every byte that does not end as a message ends
/// as a decode issue naming its layer, so the ingest summary can say how
/// complete the data is.
public enum IssueLayer: String, Sendable, CaseIterable {
    case pcap, link, ip, tcp, http, websocket, deflate, json, ocpp, schema, log
}

/// One thing that could not be decoded, with where it was found.
public struct DecodeIssue: Sendable {
    public var layer: IssueLayer
    /// A short stable reason (`hole`, `invalid-json`, `snaplen`, …), good for GROUP BY.
    public var reason: String
    /// Human-readable detail: what was expected, what was seen, what was skipped.
    public var detail: String
    public var time: Timestamp?
    /// The packet number (captures, from 1) or line number (logs, from 1).
    public var frame: Int64
    /// The ingest-local connection number, when the issue belongs to one.
    public var connection: Int?
    /// A few of the offending bytes (at most `DecodeIssue.rawLimit`), for a look.
    public var raw: [UInt8]?

    /// Why a limit: an issue table that copies whole bad frames can be made to
    /// grow as fast as the input; a sample of the bytes is enough to diagnose.
    public static let rawLimit = 256

    public init(layer: IssueLayer, reason: String, detail: String, time: Timestamp?, frame: Int64,
                connection: Int? = nil, raw: ArraySlice<UInt8>? = nil) {
        self.layer = layer
        self.reason = reason
        self.detail = detail
        self.time = time
        self.frame = frame
        self.connection = connection
        self.raw = raw.map { Array($0.prefix(DecodeIssue.rawLimit)) }
    }
}
