/// The Python `ocpp` library's frame log: `<id>: send [...]` and
/// `<id>: receive message [...]`, behind whatever prefix the host program's
/// logging adds: Python's default `INFO:ocpp:CP_1: send …`, the
/// `%(asctime)s %(levelname)s %(name)s` style
/// (`2026-11-25 14:43:07,945 INFO ocpp CP0001: send …`), Home Assistant's
/// `2023-04-15 12:31:39.123 INFO (MainThread) [ocpp] CP_1: send …`.
///
/// Both sides of a connection use the library, so `send` says nothing about
/// which side wrote the line: the direction comes from the message.
final class PythonOCPPParser: LogLineParser {
    let format = LogFormat.pythonOCPP
    private let time: LogTimeParser
    private static let send = Array(": send ".utf8)
    private static let receive = Array(": receive message ".utf8)

    init(options: LogOptions) { time = options.timeParser }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        var fields = LineFields()
        let marker: Int, after: Int
        if let at = ByteSearch.find(PythonOCPPParser.send, in: b) {
            marker = at; after = at + PythonOCPPParser.send.count; fields.stated = .outgoing
        } else if let at = ByteSearch.find(PythonOCPPParser.receive, in: b) {
            marker = at; after = at + PythonOCPPParser.receive.count; fields.stated = .incoming
        } else {
            return .noise
        }
        var m = after
        while m < b.count, b[m] == 0x20 { m += 1 }
        guard m < b.count, b[m] == 0x5B else { return .noise }
        var s = marker
        while s > 0, b[s - 1] != 0x20, b[s - 1] != 0x3A, b[s - 1] != 0x5D, b[s - 1] != 0x5B { s -= 1 }
        guard s < marker else { return .noise }
        fields.identity = s..<marker
        fields.time = time.find(b, within: min(s, 96))?.0
        fields.message = .range(m..<b.count)
        return .message(fields)
    }
}
