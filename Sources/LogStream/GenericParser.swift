import Frames

/// Any other text log that carries OCPP-J: a timestamp at the start, an
/// identity somewhere, a word or arrow for the direction, and the array —
/// on the line, or pretty-printed over the following lines.
///
///     2023-04-15 12:31:39.123 [CP_1] -> [2,"a1","Heartbeat",{}]
///     2023-04-15T12:31:39Z INFO received from CP_1: [2,"a1","Heartbeat",{}]
///     Apr 15 12:31:39 csms[812]: cp=CP_1 dir=out [3,"a1",{"currentTime":"…"}]
///     2023-04-15 12:31:39 CP_1 >> CSMS
///     [
///       2, "a1", "Heartbeat", {}
///     ]
///
/// The identity is taken, in this order, from a `cp=`/`chargePointId=`-style
/// pair, the side of an arrow opposite a CSMS name (`CP_1 -> CSMS`), the
/// word after `from`/`to`/`for`, a URL path's last segment, the word with a
/// colon right before the array, and else the last plausible word before it.
final class GenericParser: LogLineParser {
    let format = LogFormat.generic
    private let time: LogTimeParser
    private let timeFormat: TimeFormat?
    private let zone: TimeZoneRule
    private let year: Int

    init(options: LogOptions) {
        time = options.timeParser
        timeFormat = options.timeFormat
        zone = options.zone
        year = options.year
    }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        var fields = LineFields()
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        // A bare pretty-printed message starting on its own line.
        if i < b.count, b[i] == 0x5B, ByteSearch.looksLikeJSONContinuation(b) {
            let rest = ByteSearch.trimmed(b, i..<b.count)
            if rest.count == 1 || ByteSearch.ocppArrayStart(b, from: i) == i {
                fields.message = .range(i..<b.count)
                return .message(fields)
            }
        }
        var prefixStart = i
        // The time is at the start: never inside the message (payloads hold times too).
        let firstArray = ByteSearch.ocppArrayStart(b, from: i)
        if let timeFormat {
            var s = i
            if s < b.count, b[s] == 0x5B { s += 1 }
            if let (t, e) = timeFormat.parse(b, at: s, zone: zone, year: year) { fields.time = t; prefixStart = e }
        } else if let (t, _, e) = time.find(b, from: i, within: min(40, (firstArray ?? b.count) - i)) {
            fields.time = t
            prefixStart = e
        }
        let arrayAt = firstArray.flatMap { $0 >= prefixStart ? $0 : nil } ?? ByteSearch.ocppArrayStart(b, from: prefixStart)
        let prefixEnd = arrayAt ?? b.count
        GenericParser.describe(b, prefixStart..<prefixEnd, into: &fields)
        if let arrayAt {
            fields.message = .range(arrayAt..<b.count)
            return .message(fields)
        }
        // A timestamped line ending in an opening bracket, or a line announcing
        // a message, may be followed by the pretty-printed message.
        let t = ByteSearch.trimmed(b, prefixStart..<b.count)
        if !t.isEmpty, b[t.upperBound - 1] == 0x5B {
            fields.message = .range((t.upperBound - 1)..<b.count)
            return .message(fields)
        }
        return fields.time != nil ? .header(fields) : .noise
    }

    private static let levels: Set<[UInt8]> = Set(["info", "debug", "trace", "warn", "warning", "error", "fatal", "critical",
                                                   "notice", "verbose", "dbg", "inf", "wrn", "err", "crit"].map { Array($0.utf8) })
    private static let stopWords: Set<[UInt8]> = Set(["message", "messages", "msg", "ocpp", "ocpp16", "ocpp201", "ocpp21", "json",
                                                      "ws", "wss", "websocket", "frame", "data", "payload", "call", "callresult",
                                                      "callerror", "charger", "chargepoint", "station", "csms", "server", "client",
                                                      "mainthread", "thread", "from", "to", "for", "the", "a", "an", "of", "on",
                                                      "with", "text", "raw", "utc", "ocpp-j", "id", "cp", "cs", "central",
                                                      "centralsystem", "backend", "at", "by", "via"].map { Array($0.utf8) })
    private static let identityKeys: Set<UInt64> = Set(["cp", "chargepointid", "chargepoint", "chargeboxid", "identity", "station",
                                                        "stationid", "cpid", "charger", "chargerid", "chargingstation",
                                                        "chargingstationid", "id", "client", "cs", "box"].map { FlatJSON.nameKey($0) })
    private static let directionKeys: Set<UInt64> = Set(["dir", "direction", "way", "flow"].map { FlatJSON.nameKey($0) })

    /// Takes the words between the time and the array apart: identity and direction.
    static func describe(_ b: UnsafeRawBufferPointer, _ region: Range<Int>, into fields: inout LineFields) {
        var tokens: [Range<Int>] = []
        var i = region.lowerBound
        func isSeparator(_ c: UInt8) -> Bool {
            c == 0x20 || c == 0x09 || c == 0x7C || c == 0x2C || c == 0x3B || c == 0x28 || c == 0x29 || c == 0x5B || c == 0x5D
                || c == 0x7B || c == 0x7D || c == 0x22 || c == 0x27
        }
        while i < region.upperBound {
            while i < region.upperBound, isSeparator(b[i]) { i += 1 }
            let s = i
            while i < region.upperBound, !isSeparator(b[i]) { i += 1 }
            if s < i { tokens.append(s..<i) }
        }
        func stripColon(_ r: Range<Int>) -> Range<Int> {
            var e = r.upperBound
            while e > r.lowerBound, b[e - 1] == 0x3A { e -= 1 }
            return r.lowerBound..<e
        }
        func lower(_ r: Range<Int>) -> [UInt8] { b[r].map(ByteSearch.lower) }
        var keyed: Range<Int>?, arrowed: Range<Int>?, afterPreposition: Range<Int>?, url: Range<Int>?, colonBeforeArray: Range<Int>?
        var candidate: Range<Int>?
        for (k, tok) in tokens.enumerated() {
            let t = stripColon(tok)
            guard !t.isEmpty else { continue }
            // key=value and key:value pairs
            if let eq = ByteSearch.find([0x3D], in: b, from: t.lowerBound, to: t.upperBound) ?? ByteSearch.find([0x3A], in: b, from: t.lowerBound, to: t.upperBound),
               eq > t.lowerBound {
                let key = FlatJSON.nameKey(b, t.lowerBound..<eq)
                var value = (eq + 1)..<t.upperBound
                if value.isEmpty, k + 1 < tokens.count { value = stripColon(tokens[k + 1]) }
                if identityKeys.contains(key), !value.isEmpty { keyed = keyed ?? value; continue }
                if directionKeys.contains(key), let d = DirectionWords.classify(b, value) { fields.stated = d; continue }
            }
            if let d = DirectionWords.classify(b, t) {
                if case .absolute = fields.stated {} else { fields.stated = d }
                // An arrow between two names: one of them is the CSMS.
                if b[t.lowerBound] == 0x2D || b[t.lowerBound] == 0x3C || b[t.lowerBound] == 0x3E || b[t.lowerBound] == 0x3D,
                   k > 0, k + 1 < tokens.count {
                    let left = stripColon(tokens[k - 1]), right = stripColon(tokens[k + 1])
                    let leftIsCSMS = DirectionWords.csmsNames.contains(lower(left))
                    let rightIsCSMS = DirectionWords.csmsNames.contains(lower(right))
                    let pointsRight = b[t.upperBound - 1] == 0x3E
                    if leftIsCSMS != rightIsCSMS {
                        arrowed = leftIsCSMS ? right : left
                        let fromCP = pointsRight ? rightIsCSMS : leftIsCSMS
                        fields.stated = .absolute(fromCP ? .chargePointToCSMS : .csmsToChargePoint)
                    }
                }
                continue
            }
            let l = lower(t)
            if (l == Array("from".utf8) || l == Array("to".utf8) || l == Array("for".utf8)), k + 1 < tokens.count {
                let next = stripColon(tokens[k + 1])
                if !next.isEmpty, !DirectionWords.csmsNames.contains(lower(next)), plausible(b, next) { afterPreposition = afterPreposition ?? next }
                continue
            }
            if let slash = lastIndex(of: 0x2F, in: b, t), slash + 1 < t.upperBound, plausible(b, (slash + 1)..<t.upperBound) {
                url = (slash + 1)..<t.upperBound
                continue
            }
            if levels.contains(l) || stopWords.contains(l) { continue }
            if plausible(b, t) {
                candidate = t
                if k == tokens.count - 1, tok.upperBound > t.lowerBound, b[tok.upperBound - 1] == 0x3A { colonBeforeArray = t }
            }
        }
        fields.identity = keyed ?? arrowed ?? afterPreposition ?? url ?? colonBeforeArray ?? candidate
    }

    private static func lastIndex(of c: UInt8, in b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        var i = r.upperBound - 1
        while i >= r.lowerBound { if b[i] == c { return i }; i -= 1 }
        return nil
    }

    /// A word that could be a charge point identity: letters, digits and a few
    /// marks, not only digits, not a dotted logger name in lower case.
    static func plausible(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        guard r.count >= 2, r.count <= 64 else { return false }
        var letters = 0, digits = 0, upper = 0, dots = 0
        for i in r {
            let c = b[i]
            switch c {
            case 0x30...0x39: digits += 1
            case 0x41...0x5A: letters += 1; upper += 1
            case 0x61...0x7A: letters += 1
            case 0x2E: dots += 1
            case 0x5F, 0x2D, 0x23, 0x40: break
            default: if c < 0x80 { return false }
            }
        }
        if letters == 0 { return false }
        if dots > 0 && upper == 0 && digits == 0 { return false }   // logger.name
        return true
    }
}
