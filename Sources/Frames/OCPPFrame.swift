/// One OCPP-J message as text, with who sent it, when, and where it came from.
///
/// This is the seam of the pipeline: captures and logs both produce frames,
/// and everything to the right (OCPP decoding, history, store) works the same
/// for both.
public struct OCPPFrame: Sendable {
    /// The OCPP-J message, UTF-8 (after WebSocket unmasking and inflation).
    public var text: [UInt8]
    /// Observation time: the pcap timestamp of the packet that completed the
    /// message, or the log line's time.
    public var time: Timestamp
    public var direction: Direction
    /// The ingest-local connection number (see `ConnectionInfo.id`).
    public var connection: Int
    /// The packet number (from 1) where the message ended, or the log line.
    public var frame: Int64

    public init(text: [UInt8], time: Timestamp, direction: Direction, connection: Int, frame: Int64) {
        self.text = text
        self.time = time
        self.direction = direction
        self.connection = connection
        self.frame = frame
    }
}
