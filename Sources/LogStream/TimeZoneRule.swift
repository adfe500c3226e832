import Foundation
import Frames

/// How a time written without a zone (`2023-04-15 12:31:39`) is placed on the
/// UTC axis: a fixed offset, or a named zone with its daylight-saving rules.
///
/// Why this matters: most logs write local wall-clock time without saying
/// which; taking them as UTC would shift every message by hours against the
/// captures of the same night.
public final class TimeZoneRule: @unchecked Sendable {
    private enum Kind { case fixed(Int), named(TimeZone) }
    private let kind: Kind
    /// Offsets of a named zone by local hour: DST changes on hour boundaries.
    private var cache: [Int64: Int] = [:]
    public let name: String

    public static let utc = TimeZoneRule(fixedOffsetSeconds: 0, name: "UTC")

    public init(fixedOffsetSeconds: Int, name: String) {
        kind = .fixed(fixedOffsetSeconds)
        self.name = name
    }

    /// `UTC`, `Z`, `+02:00`, `-0500`, `+2`, or a zone name such as `Europe/Berlin`.
    public init?(_ text: String) {
        name = text
        let t = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "z", "gmt"].contains(t.lowercased()) { kind = .fixed(0); return }
        if let first = t.first, first == "+" || first == "-" {
            let sign = first == "-" ? -1 : 1
            let digits = t.dropFirst().filter { $0 != ":" }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 4 else { return nil }
            let v = Int(digits)!
            let (h, m) = digits.count <= 2 ? (v, 0) : (v / 100, v % 100)
            guard h <= 18, m < 60 else { return nil }
            kind = .fixed(sign * (h * 3600 + m * 60))
            return
        }
        guard let zone = TimeZone(identifier: t) else { return nil }
        kind = .named(zone)
    }

    /// The UTC offset (seconds) in force at a local wall-clock time, given as
    /// seconds since the epoch as if it were UTC.
    public func offset(atLocal localSeconds: Int64) -> Int {
        switch kind {
        case .fixed(let o): return o
        case .named(let zone):
            let hour = localSeconds / 3600
            if let o = cache[hour] { return o }
            // The offset at the instant that local time names (one refinement
            // step settles it except inside a DST gap or overlap).
            let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds)))
            let o = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - Int64(guess))))
            if cache.count > 10_000 { cache.removeAll() }
            cache[hour] = o
            return o
        }
    }
}
