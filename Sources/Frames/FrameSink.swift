/// Where an input stage delivers what it decodes, in input order.
///
/// A protocol rather than a stream of enum values so that the hot path (one
/// call per message) stays a direct, specialisable call.
public protocol FrameSink: AnyObject {
    /// A connection was seen for the first time (its handshake may be later).
    func connectionOpened(_ connection: ConnectionInfo)
    /// What is known about a connection changed (handshake done, closed, end of data).
    func connectionUpdated(_ connection: ConnectionInfo)
    func frame(_ frame: OCPPFrame)
    func issue(_ issue: DecodeIssue)
}
