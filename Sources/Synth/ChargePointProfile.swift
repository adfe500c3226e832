// The fixed traits of one simulated charge point, drawn once from the seed.

struct ChargePointProfile {
    let index: Int
    let identity: String
    let version: OCPPVersion
    let deflate: DeflateParameters?
    /// Connectors (1.6) or EVSEs with one connector each (2.x).
    let connectors: Int
    let heartbeatInterval: Int
    let meterUnit: MeterUnit
    let sampleInterval: Int
    let reportsSoC: Bool
    let clientIP: IPAddress
    let server: Endpoint
    let rtt: Int64
    let pingInterval: Int64?
    let basicAuthPassword: String?
    let vendor: String, model: String, serial: String, firmware: String
    /// The charger's clock minus the capture clock, µs (payload timestamps).
    let clockOffset: Int64
    let millisTimestamps: Bool
    let refuseFirstAttempt: Bool
    let firstConnect: Int64

    var host: String {
        let name = server.ip.isV6 ? "[\(server.ip)]" : "csms.example.net"
        return server.port == 80 ? name : "\(name):\(server.port)"
    }

    var truthJSON: String {
        var d = "null"
        if let p = deflate { d = JSONText.quoted(p.headerValue) }
        return "{\"identity\": \(JSONText.quoted(identity)), \"urlPath\": \(JSONText.quoted("/ocpp/" + HTTPUpgrade.percentEncode(identity))), \"ocppVersion\": \"\(version.rawValue)\", \"compressed\": \(deflate != nil), \"deflate\": \(d), \"\(version.is2x ? "evses" : "connectors")\": \(connectors), \"heartbeatInterval\": \(heartbeatInterval), \"meterUnit\": \"\(meterUnit.rawValue)\", \"sampleInterval\": \(sampleInterval), \"clientIP\": \"\(clientIP)\", \"serverPort\": \(server.port), \"rttMs\": \(rtt / 1000), \"websocketPings\": \(pingInterval != nil), \"basicAuth\": \(basicAuthPassword != nil), \"clockOffsetSeconds\": \(clockOffset / 1_000_000), \"vendor\": \(JSONText.quoted(vendor)), \"model\": \(JSONText.quoted(model)), \"serial\": \(JSONText.quoted(serial))}"
    }
}

/// State shared by all connections on the CSMS side.
final class CSMSState {
    var nextTransactionId: Int
    var nextRemoteStartId = 1
    let idTags: [String]
    init(rng: inout SynthRandom) {
        nextTransactionId = 1000 + rng.int(0...8999)
        var tags: [String] = []
        for _ in 0..<12 {
            let b = rng.bytes(7)
            tags.append(String(decoding: b.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 15)]] }, as: UTF8.self).uppercased())
        }
        idTags = tags
    }
}
