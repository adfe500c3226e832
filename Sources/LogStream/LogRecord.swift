import Frames

/// Which way a log line says a message went.
///
/// Most logs speak from their writer's side (`send`, `received`, `->`), so
/// the direction on the wire depends on whether the writer was the charge
/// point or the CSMS; some name the sides outright.
public enum StatedDirection: Sendable, Equatable {
    case none
    /// The writer sent it.
    case outgoing
    /// The writer received it.
    case incoming
    /// The line names the sides (`ChargePoint>CentralSystem`, `cp_to_csms`,
    /// or the writer is known to be a CSMS, as evcc and SteVe are).
    case absolute(Direction)
}

/// Where a line's OCPP-J text is.
public enum MessageText {
    /// These bytes of the line, as they are.
    case range(Range<Int>)
    /// Text that had to be unescaped or unquoted (a JSON or CSV string).
    case owned([UInt8])
}

/// What a format made of one line.
public struct LineFields {
    public var time: Timestamp?
    /// The charge point identity, when the line names one.
    public var identity: Range<Int>?
    public var ownedIdentity: String?
    public var stated: StatedDirection = .none
    public var message: MessageText?
    /// An OCPP version the line states (`ocpp1.6`, `2.0.1`).
    public var version: String?

    public init() {}
}

/// What a format made of one line.
public enum LineParse {
    /// A line carrying an OCPP-J message (maybe only its start: the rest on
    /// the following lines, pretty-printed).
    case message(LineFields)
    /// A line announcing a message whose text follows on the next lines
    /// (EVerest's `ChargePoint>CentralSystem BootNotification`).
    case header(LineFields)
    /// Nothing of OCPP (start-up notes, stack traces).
    case noise
}

/// One log format: recognises its lines and takes them apart.
public protocol LogLineParser {
    var format: LogFormat { get }
    func parse(_ line: UnsafeRawBufferPointer) -> LineParse
}
