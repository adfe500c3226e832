import Frames

/// EVerest libocpp's message log. In its file a header line names the sides
/// and the message type, and the message follows pretty-printed over the
/// next lines, then a blank line:
///
///     2023-04-15T12:31:39.123Z: ChargePoint>CentralSystem BootNotification
///     [
///       2,
///       "19d1…",
///       …
///     ]
///
/// On the console (detailed logging) it is one line, colour codes around it:
/// `…ChargePoint: [2,"…","BootNotification",{…}]`, `…CentralSystem: [3,…]`.
/// The log is the charger's own: it names no charge point (see `--identity`).
final class EVerestParser: LogLineParser {
    let format = LogFormat.everest
    private let time: LogTimeParser
    private static let up = Array("ChargePoint>CentralSystem".utf8)
    private static let down = Array("CentralSystem>ChargePoint".utf8)
    private static let consoleUp = Array("ChargePoint: ".utf8)
    private static let consoleDown = Array("CentralSystem: ".utf8)

    init(options: LogOptions) { time = options.timeParser }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        var fields = LineFields()
        let limit = min(b.count, 160)
        var markerEnd = -1
        if let at = ByteSearch.find(EVerestParser.up, in: b, to: limit) {
            fields.stated = .absolute(.chargePointToCSMS); markerEnd = at + EVerestParser.up.count
        } else if let at = ByteSearch.find(EVerestParser.down, in: b, to: limit) {
            fields.stated = .absolute(.csmsToChargePoint); markerEnd = at + EVerestParser.down.count
        }
        if markerEnd >= 0 {
            fields.time = time.find(b, within: 48)?.0
            if let m = ByteSearch.ocppArrayStart(b, from: markerEnd) {
                fields.message = .range(m..<b.count)
                return .message(fields)
            }
            return .header(fields)
        }
        for (marker, d) in [(EVerestParser.consoleUp, Direction.chargePointToCSMS), (EVerestParser.consoleDown, .csmsToChargePoint)] {
            guard let at = ByteSearch.find(marker, in: b) else { continue }
            let m = at + marker.count
            guard m < b.count, b[m] == 0x5B else { continue }
            var e = b.count
            if let esc = ByteSearch.find([0x1B], in: b, from: m) { e = esc }
            fields.stated = .absolute(d)
            fields.time = time.find(b, within: 64)?.0
            fields.message = .range(m..<e)
            return .message(fields)
        }
        return .noise
    }
}
