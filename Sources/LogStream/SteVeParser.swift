import Frames

/// SteVe's WebSocket log (a CSMS: what it receives comes from the charge point).
///
///     [INFO ] 2023-04-15 12:31:39,123 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f…] Received: [2,…]
///     … [chargeBoxId=CP_1, sessionId=5f…] Sending: [3,…]
///     … [CP_1 Recv: [2,…]        (newer releases)
///     … [CP_1 Send: [3,…]
final class SteVeParser: LogLineParser {
    let format = LogFormat.steve
    private let time: LogTimeParser
    private static let forms: [([UInt8], Direction)] = [
        (Array("] Received: ".utf8), .chargePointToCSMS),
        (Array("] Sending: ".utf8), .csmsToChargePoint),
        (Array(" Recv: ".utf8), .chargePointToCSMS),
        (Array(" Send: ".utf8), .csmsToChargePoint),
    ]
    private static let boxKey = Array("chargeBoxId=".utf8)

    init(options: LogOptions) { time = options.timeParser }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        for (k, (phrase, d)) in SteVeParser.forms.enumerated() {
            guard let at = ByteSearch.find(phrase, in: b) else { continue }
            var m = at + phrase.count
            while m < b.count, b[m] == 0x20 { m += 1 }
            guard m < b.count, b[m] == 0x5B else { return .noise }
            var fields = LineFields()
            fields.stated = .absolute(d)
            if k < 2 {
                guard let key = ByteSearch.find(SteVeParser.boxKey, in: b, to: at) else { return .noise }
                var e = key + SteVeParser.boxKey.count
                let s = e
                while e < at, b[e] != 0x2C, b[e] != 0x5D { e += 1 }
                fields.identity = s..<e
            } else {
                var s = at
                while s > 0, b[s - 1] != 0x5B, b[s - 1] != 0x20 { s -= 1 }
                guard s > 0, b[s - 1] == 0x5B, s < at else { return .noise }
                fields.identity = s..<at
            }
            fields.time = time.find(b, within: 64)?.0
            fields.message = .range(m..<b.count)
            return .message(fields)
        }
        return .noise
    }
}
