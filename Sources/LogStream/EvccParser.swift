import Frames

/// evcc's OCPP log (ocpp-go underneath). evcc is always the CSMS, so its
/// words name the sides: what it sent went to the charge point.
///
///     [ocpp  ] TRACE 2023/04/15 12:31:39 sent JSON message to CP_1: [3,"…",{}]
///     [ocpp  ] TRACE 2023/04/15 12:31:39 received JSON message from CP_1: [2,"…","Heartbeat",{}]
///     [ocpp  ] TRACE 2026/07/23 10:21:46 recv CP_1: [2,…]      (newer)
///     [ocpp  ] TRACE 2026/07/23 10:21:46 send CP_1: [3,…]
///
/// Often behind a journald or docker prefix (`Okt 11 11:42:45 host evcc[25224]: `,
/// `evcc  | `). Go's log writes local time: `--timezone` applies.
final class EvccParser: LogLineParser {
    let format = LogFormat.evcc
    private let time: LogTimeParser
    private static let tag = Array("[ocpp".utf8)
    private static let longForms: [([UInt8], Direction)] = [
        (Array("sent JSON message to ".utf8), .csmsToChargePoint),
        (Array("received JSON message from ".utf8), .chargePointToCSMS),
    ]
    private static let shortForms: [([UInt8], Direction)] = [
        (Array("recv ".utf8), .chargePointToCSMS),
        (Array("send ".utf8), .csmsToChargePoint),
        (Array("sent ".utf8), .csmsToChargePoint),
    ]

    init(options: LogOptions) { time = options.timeParser }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        let tagAt = ByteSearch.find(EvccParser.tag, in: b, to: min(b.count, 160))
        var fields = LineFields()
        var idStart = -1
        var scanFrom = 0
        if let tagAt, let close = ByteSearch.find([0x5D], in: b, from: tagAt) {
            scanFrom = close + 1
            if let (t, _, e) = time.find(b, from: scanFrom, within: 40) { fields.time = t; scanFrom = e }
        }
        for (phrase, d) in EvccParser.longForms {
            if let at = ByteSearch.find(phrase, in: b, from: scanFrom, to: min(b.count, scanFrom + 200)) {
                idStart = at + phrase.count; fields.stated = .absolute(d); break
            }
        }
        if idStart < 0, tagAt != nil {
            var i = scanFrom
            while i < b.count, b[i] == 0x20 { i += 1 }
            for (word, d) in EvccParser.shortForms where b.count - i > word.count && b[i..<(i + word.count)].elementsEqual(word) {
                idStart = i + word.count; fields.stated = .absolute(d); break
            }
        }
        guard idStart >= 0, let colon = ByteSearch.find([0x3A, 0x20], in: b, from: idStart) else { return .noise }
        var m = colon + 2
        while m < b.count, b[m] == 0x20 { m += 1 }
        guard m < b.count, b[m] == 0x5B, colon > idStart else { return .noise }
        fields.identity = idStart..<colon
        if fields.time == nil { fields.time = time.find(b, within: 120)?.0 }
        fields.message = .range(m..<b.count)
        return .message(fields)
    }
}
