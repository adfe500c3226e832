// The truth file: what the scenario knows it put into the capture.
//
// A decoder's output is compared with this file in tests. It is recorded
// while generating, from the simulator's own state, never by decoding the
// capture, so a bug shared by an encoder and a decoder cannot hide here.
// Only what is inside the capture window counts: with a late capture start,
// messages sent earlier are not counted (transactions keep a flag instead).

public final class TruthRecorder {
    public let detail: TruthDetail
    let captureStart: Int64

    public private(set) var totalMessages = 0
    public private(set) var byType: [String: Int] = [:]
    public private(set) var byAction: [String: Int] = [:]
    public private(set) var perChargePoint: [String: Int] = [:]
    public private(set) var heartbeats: [String: Int] = [:]
    public private(set) var pings = 0
    public private(set) var callErrors = 0
    public private(set) var basicAuthHeaders = 0

    struct Connection {
        var identity: String, client: Endpoint, server: Endpoint
        var ocppVersion: String, subprotocol: String?, compressed: Bool, extensions: String?
        var opened: Int64, closed: Int64?, closeCode: Int?, refusedStatus: Int?
        var messages = 0
    }
    struct Transaction {
        var identity: String, connector: Int, evse: Int?, transactionId: String, idTag: String
        var start: Int64, stop: Int64?, meterStartWh: Int, meterStopWh: Int?, stopReason: String?, remote: Bool
    }
    struct Status { var time: Int64, identity: String, connector: Int, evse: Int?, status: String, errorCode: String? }
    struct Unanswered { var time: Int64, identity: String, uniqueId: String, action: String }

    var connections: [Connection] = []
    var transactions: [Transaction] = []
    var statuses: [Status] = []
    var unanswered: [Unanswered] = []
    var chargePoints: [(identity: String, json: String)] = []

    init(detail: TruthDetail, captureStart: Int64) {
        self.detail = detail
        self.captureStart = captureStart
    }

    var full: Bool { detail == .full }

    func addChargePoint(identity: String, json: String) { if full { chargePoints.append((identity, json)) } }

    func openConnection(identity: String, client: Endpoint, server: Endpoint, version: OCPPVersion,
                        compressed: Bool, extensions: String?, at time: Int64) -> Int {
        connections.append(Connection(identity: identity, client: client, server: server, ocppVersion: version.rawValue,
                                      subprotocol: version.subprotocol, compressed: compressed, extensions: extensions,
                                      opened: time, closed: nil, closeCode: nil, refusedStatus: nil))
        return connections.count - 1
    }

    func refuse(_ index: Int, status: Int, at time: Int64) {
        connections[index].refusedStatus = status
        connections[index].subprotocol = nil
        connections[index].compressed = false
        connections[index].extensions = nil
        connections[index].closed = time
    }

    func close(_ index: Int, code: Int?, at time: Int64) {
        connections[index].closed = time
        connections[index].closeCode = code
    }

    func basicAuth(at time: Int64) { if time >= captureStart { basicAuthHeaders += 1 } }

    /// One OCPP-J message; `type` 2, 3 or 4.
    func message(type: Int, action: String?, identity: String, connection: Int, at time: Int64) {
        guard time >= captureStart else { return }
        totalMessages += 1
        let typeName = type == 2 ? "CALL" : type == 3 ? "CALLRESULT" : "CALLERROR"
        byType[typeName, default: 0] += 1
        if type == 2, let action {
            byAction[action, default: 0] += 1
            if action == "Heartbeat" { heartbeats[identity, default: 0] += 1 }
        }
        if type == 4 { callErrors += 1 }
        perChargePoint[identity, default: 0] += 1
        connections[connection].messages += 1
    }

    func ping(at time: Int64) { if time >= captureStart { pings += 1 } }

    func status(identity: String, connector: Int, evse: Int?, status: String, errorCode: String?, at time: Int64) {
        guard full, time >= captureStart else { return }
        statuses.append(Status(time: time, identity: identity, connector: connector, evse: evse, status: status, errorCode: errorCode))
    }

    func unansweredCall(identity: String, uniqueId: String, action: String, at time: Int64) {
        guard time >= captureStart else { return }
        unanswered.append(Unanswered(time: time, identity: identity, uniqueId: uniqueId, action: action))
    }

    func startTransaction(identity: String, connector: Int, evse: Int?, transactionId: String, idTag: String,
                          at time: Int64, meterStartWh: Int, remote: Bool) -> Int {
        guard full else { return -1 }
        transactions.append(Transaction(identity: identity, connector: connector, evse: evse, transactionId: transactionId,
                                        idTag: idTag, start: time, stop: nil, meterStartWh: meterStartWh,
                                        meterStopWh: nil, stopReason: nil, remote: remote))
        return transactions.count - 1
    }

    func stopTransaction(_ index: Int, at time: Int64, meterStopWh: Int, reason: String) {
        guard index >= 0 else { return }
        transactions[index].stop = time
        transactions[index].meterStopWh = meterStopWh
        transactions[index].stopReason = reason
    }

    // MARK: JSON

    private static func sortedObject(_ d: [String: Int]) -> String {
        "{" + d.keys.sorted().map { "\(JSONText.quoted($0)):\(d[$0]!)" }.joined(separator: ",") + "}"
    }
    private static func time(_ t: Int64?) -> String {
        guard let t else { return "null" }
        return JSONText.quoted(ISOTime.string(micros: t, fraction: .micros))
    }
    private static func opt(_ v: Int?) -> String { v.map(String.init) ?? "null" }
    private static func opt(_ s: String?) -> String { s.map(JSONText.quoted) ?? "null" }

    /// The truth document. One line per record keeps diffs readable and the
    /// file small.
    public func json(header: [(String, String)], captureEnd: Int64, packets: Int, bytes: Int64) -> String {
        var s = "{\n"
        for (k, v) in header { s += "  \(JSONText.quoted(k)): \(v),\n" }
        s += "  \"captureStart\": \(TruthRecorder.time(captureStart)),\n"
        s += "  \"captureEnd\": \(TruthRecorder.time(captureEnd)),\n"
        s += "  \"packets\": \(packets),\n  \"fileBytes\": \(bytes),\n"
        s += "  \"messages\": {\"total\": \(totalMessages), \"byType\": \(TruthRecorder.sortedObject(byType)),\n"
        s += "    \"byCallAction\": \(TruthRecorder.sortedObject(byAction)),\n"
        s += "    \"perChargePoint\": \(TruthRecorder.sortedObject(perChargePoint))},\n"
        s += "  \"heartbeats\": \(TruthRecorder.sortedObject(heartbeats)),\n"
        s += "  \"websocketPings\": \(pings),\n"
        s += "  \"callErrors\": \(callErrors),\n"
        s += "  \"secrets\": {\"basicAuthorizationHeaders\": \(basicAuthHeaders)},\n"
        s += "  \"unansweredCalls\": [" + unanswered.map {
            "\n    {\"identity\": \(JSONText.quoted($0.identity)), \"uniqueId\": \(JSONText.quoted($0.uniqueId)), \"action\": \(JSONText.quoted($0.action)), \"time\": \(TruthRecorder.time($0.time))}"
        }.joined(separator: ",") + (unanswered.isEmpty ? "]" : "\n  ]")
        s += ",\n  \"connectionCount\": \(connections.count)"
        if full {
            s += ",\n  \"chargePoints\": [" + chargePoints.map { "\n    " + $0.json }.joined(separator: ",") + "\n  ]"
            s += ",\n  \"connections\": [" + connections.map { c in
                "\n    {\"identity\": \(JSONText.quoted(c.identity)), \"client\": \"\(c.client.ip):\(c.client.port)\", \"server\": \"\(c.server.ip):\(c.server.port)\", \"serverPort\": \(c.server.port), \"ocppVersion\": \(JSONText.quoted(c.ocppVersion)), \"subprotocol\": \(TruthRecorder.opt(c.subprotocol)), \"compressed\": \(c.compressed), \"extensions\": \(TruthRecorder.opt(c.extensions)), \"refusedStatus\": \(TruthRecorder.opt(c.refusedStatus)), \"opened\": \(TruthRecorder.time(c.opened)), \"openedBeforeCapture\": \(c.opened < captureStart), \"closed\": \(TruthRecorder.time(c.closed)), \"closeCode\": \(TruthRecorder.opt(c.closeCode)), \"messages\": \(c.messages)}"
            }.joined(separator: ",") + "\n  ]"
            s += ",\n  \"transactions\": [" + transactions.map { t in
                let energy = t.meterStopWh.map { String($0 - t.meterStartWh) } ?? "null"
                return "\n    {\"identity\": \(JSONText.quoted(t.identity)), \"connector\": \(t.connector), \"evse\": \(TruthRecorder.opt(t.evse)), \"transactionId\": \(JSONText.quoted(t.transactionId)), \"idTag\": \(JSONText.quoted(t.idTag)), \"start\": \(TruthRecorder.time(t.start)), \"startedBeforeCapture\": \(t.start < captureStart), \"stop\": \(TruthRecorder.time(t.stop)), \"meterStartWh\": \(t.meterStartWh), \"meterStopWh\": \(TruthRecorder.opt(t.meterStopWh)), \"energyWh\": \(energy), \"stopReason\": \(TruthRecorder.opt(t.stopReason)), \"remoteStart\": \(t.remote)}"
            }.joined(separator: ",") + "\n  ]"
            s += ",\n  \"statusChanges\": [" + statuses.map { st in
                "\n    {\"time\": \(TruthRecorder.time(st.time)), \"identity\": \(JSONText.quoted(st.identity)), \"connector\": \(st.connector), \"evse\": \(TruthRecorder.opt(st.evse)), \"status\": \(JSONText.quoted(st.status)), \"errorCode\": \(TruthRecorder.opt(st.errorCode))}"
            }.joined(separator: ",") + "\n  ]"
        }
        s += "\n}\n"
        return s
    }
}
