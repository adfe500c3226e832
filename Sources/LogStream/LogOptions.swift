import Foundation
import Frames

/// What the user told the log reader, and the defaults when they did not.
public struct LogOptions: Sendable {
    /// A format named with `--log-format`; nil detects it from the first lines.
    public var format: LogFormat?
    /// `--pattern`: a regular expression with named groups `time`, `cp`, `dir`, `msg`.
    public var pattern: String?
    /// `--time-format`, strftime style, for the pattern's `time` group and for
    /// the timestamp at the start of generic lines.
    public var timeFormat: TimeFormat?
    /// `--timezone`: where times without a zone are (default UTC).
    public var zone: TimeZoneRule = .utc
    /// `--year`: the year of syslog-style times, which carry none (default:
    /// the current year).
    public var year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())
    /// The charge point of logs that do not name one (a charger's own log).
    public var identity: String = "unknown"
    /// Exact repeats of a message within this many microseconds are dropped.
    public var duplicateWindow: Int64 = 5_000_000
    public var maxLineLength: Int = LineReader.defaultMaxLineLength
    /// How many lines detection looks at.
    public var detectionLines = 200

    public init() {}

    var timeParser: LogTimeParser { LogTimeParser(zone: zone, year: year) }
}
