import Foundation
import Frames

/// The user's own format: `--pattern` is a regular expression with named
/// groups `time`, `cp`, `dir` and `msg` (only `msg` is required), for logs
/// no built-in format reads. The `time` group is read with `--time-format`
/// when given, else as any timestamp the reader knows.
///
/// A regular expression per line is slow next to the built-in formats; it is
/// only used when the user asks for it.
final class PatternParser: LogLineParser {
    let format = LogFormat.pattern
    private let regex: NSRegularExpression
    private let time: LogTimeParser
    private let timeFormat: TimeFormat?
    private let zone: TimeZoneRule
    private let year: Int
    private let groups: Set<String>

    init(pattern: String, options: LogOptions) throws(LogInputError) {
        do { regex = try NSRegularExpression(pattern: pattern) } catch {
            throw .notALog("--pattern", "not a valid regular expression: \(error.localizedDescription)")
        }
        var names: Set<String> = []
        for n in ["time", "cp", "dir", "msg"] where pattern.contains("(?<\(n)>") { names.insert(n) }
        guard names.contains("msg") else { throw .notALog("--pattern", "the pattern needs a named group (?<msg>…) for the OCPP-J message") }
        groups = names
        time = options.timeParser
        timeFormat = options.timeFormat
        zone = options.zone
        year = options.year
    }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        let line = String(decoding: b, as: UTF8.self)
        let ns = line as NSString
        guard let m = regex.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return .noise }
        func group(_ name: String) -> String? {
            guard groups.contains(name) else { return nil }
            let r = m.range(withName: name)
            guard r.location != NSNotFound else { return nil }
            return ns.substring(with: r)
        }
        guard let msg = group("msg"), !msg.isEmpty else { return .noise }
        var fields = LineFields()
        fields.message = .owned(Array(msg.utf8))
        if let cp = group("cp"), !cp.isEmpty { fields.ownedIdentity = cp }
        if let dir = group("dir") { fields.stated = DirectionWords.classify(Array(dir.utf8)) ?? .none }
        if let t = group("time") {
            let bytes = Array(t.utf8)
            fields.time = bytes.withUnsafeBytes { tb in
                if let timeFormat { return timeFormat.parse(tb, at: 0, zone: zone, year: year)?.0 }
                return time.parse(tb, at: 0)?.0 ?? time.find(tb)?.0
            }
        }
        return .message(fields)
    }
}
