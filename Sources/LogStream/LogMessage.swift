import Frames

/// One OCPP-J message found in a log, before its direction is settled.
public struct LogMessage: Sendable {
    public var identity: String
    public var time: Timestamp
    public var stated: StatedDirection
    public var text: [UInt8]
    /// The line it starts on (from 1).
    public var line: Int64
    public var version: String?

    public init(identity: String, time: Timestamp, stated: StatedDirection, text: [UInt8], line: Int64, version: String? = nil) {
        self.identity = identity
        self.time = time
        self.stated = stated
        self.text = text
        self.line = line
        self.version = version
    }
}

/// Counts of one log read, for the summary and the tests.
public struct LogStats: Sendable {
    public var format: LogFormat?
    public var lines: Int64 = 0
    /// Lines that carried (the start of) an OCPP-J message.
    public var messageLines: Int64 = 0
    /// Messages handed on to the decoder (after dropping repeats).
    public var messages: Int64 = 0
    /// Exact repeats dropped (the same message logged twice).
    public var duplicates: Int64 = 0
    /// Messages whose line had no time of its own and took the previous one.
    public var inheritedTimes: Int64 = 0
    /// Messages whose direction neither the log nor the OCPP rules gave, so
    /// the usual way was assumed (CALLs from the charge point, answers from the CSMS).
    public var directionGuessed: Int64 = 0
    public var invalidUTF8: Int64 = 0
    public var overlongLines: Int64 = 0
    /// Lines that look like OCPP but that the format could not take apart.
    public var unrecognised: Int64 = 0
    /// Messages cut short (a pretty-printed message interrupted by a new line of log).
    public var incomplete: Int64 = 0
    public var chargePoints = 0
    /// The earliest and latest message times (µs): the span the log covers.
    public var firstTime: Int64?
    public var lastTime: Int64?
    public var rotations = 0
    public var truncations = 0
    public init() {}
}
