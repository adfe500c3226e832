// One simulated charge point and its side of the CSMS, as a discrete-event
// state machine in simulated time.
//
// Work is a heap of scheduled tasks (heartbeat due, connector idle time over,
// meter sample due, ...). `step()` runs the earliest task as one or more
// request/response exchanges starting at `cursor`; exchanges of one charge
// point never overlap (OCPP-J allows one outstanding CALL per direction), so
// a task starts no earlier than the last packet of the previous one
// (`readyAt`). Packets go to the fleet's merge heap; every message is also
// reported to the truth recorder from this state, never from the bytes.

private let second: Int64 = 1_000_000

final class ChargePointSim {
    enum TaskKind {
        case connect, heartbeat, csmsCall, dataTransfer, ping, reset, unanswered, callError
        case idleOver(Int), startSession(Int), meterSample(Int), stopSession(Int), becomeAvailable(Int)
    }
    struct Task {
        var time: Int64, seq: Int, epoch: Int, connectorGen: Int, kind: TaskKind
        /// Designated events survive reconnects (epoch -1).
        var connector: Int? {
            switch kind {
            case .idleOver(let c), .startSession(let c), .meterSample(let c), .stopSession(let c), .becomeAvailable(let c): return c
            default: return nil
            }
        }
    }
    struct Session {
        var transactionId: String, idTag: String, payloadStart: Int64, meterStartWh: Int
        var lastSample: Int64, powerW: Int, suspended = false, seqNo = 0, truthIndex: Int, soc: Double
        var remoteStartId: Int?
    }
    struct Connector {
        var gen = 0
        var status = "Available"
        var meterMilliWh: Int64
        var session: Session?
        var meterWh: Int { Int(meterMilliWh / 1000) }
    }

    let profile: ChargePointProfile
    var rng: SynthRandom
    let sink: PacketSink
    let truth: TruthRecorder
    let csms: CSMSState
    let link: LinkLayer
    let fragmentShare: Double
    let fragmentCompressed: Bool
    let meanIdle: Double
    let deflateLevel: Int32
    /// Mean seconds to a reset and reconnect, drawn anew for each connection (FleetConfig.churnMeanSeconds).
    var churnMean: Double?

    private var tasks = MinHeap<Task>(less: { ($0.time, $0.seq) < ($1.time, $1.seq) })
    private var taskSeq = 0
    private var epoch = 0
    private var conn: WebSocketConnection?
    private var attempts = 0
    private var bootReason = "PowerUp"
    private var notifiedEvent = false
    private var connectors: [Connector]
    private var cursor: Int64 = 0
    private(set) var readyAt: Int64 = 0

    init(profile: ChargePointProfile, rng: SynthRandom, sink: PacketSink, truth: TruthRecorder, csms: CSMSState,
         link: LinkLayer, fragmentShare: Double, fragmentCompressed: Bool, meanIdle: Double, deflateLevel: Int32 = 6) {
        self.deflateLevel = deflateLevel
        self.profile = profile
        self.rng = rng
        self.sink = sink
        self.truth = truth
        self.csms = csms
        self.link = link
        self.fragmentShare = fragmentShare
        self.fragmentCompressed = fragmentCompressed
        self.meanIdle = meanIdle
        var r = rng
        connectors = (0..<profile.connectors).map { _ in Connector(meterMilliWh: Int64(r.int(100_000...9_000_000)) * 1000) }
        self.rng = r
        schedule(.connect, at: profile.firstConnect, designated: true)
    }

    /// When this charge point next has something to do.
    var nextTime: Int64 {
        guard let t = tasks.min else { return Int64.max }
        return max(t.time, readyAt)
    }

    func scheduleDesignated(_ kind: TaskKind, at time: Int64) { schedule(kind, at: time, designated: true) }

    private func schedule(_ kind: TaskKind, at time: Int64, designated: Bool = false) {
        taskSeq += 1
        var task = Task(time: time, seq: taskSeq, epoch: designated ? -1 : epoch, connectorGen: 0, kind: kind)
        if let c = task.connector { task.connectorGen = connectors[c].gen }
        tasks.push(task)
    }

    private func after(_ seconds: Double) -> Int64 { cursor + Int64(seconds * 1_000_000) }

    func step() {
        guard let task = tasks.pop() else { return }
        if task.epoch != -1 && task.epoch != epoch { return }
        if let c = task.connector, task.connectorGen != connectors[c].gen { return }
        cursor = max(task.time, readyAt)
        if conn == nil, !(task.kind.isConnect) {
            // Designated events wait for the connection to come back.
            if task.epoch == -1 { schedule(task.kind, at: cursor + 60 * second, designated: true) }
            return
        }
        switch task.kind {
        case .connect: connect()
        case .heartbeat:
            cpCall("Heartbeat", "{}", result: "{\"currentTime\":\(csmsTime())}")
            schedule(.heartbeat, at: after(Double(profile.heartbeatInterval)))
        case .idleOver(let c): idleOver(c)
        case .startSession(let c): startSession(c, remoteIdTag: nil)
        case .meterSample(let c): meterSample(c)
        case .stopSession(let c): stopSession(c, reason: nil)
        case .becomeAvailable(let c):
            statusNotification(c, "Available")
            schedule(.idleOver(c), at: after(rng.exponential(mean: meanIdle)))
        case .csmsCall:
            randomCSMSCall()
            schedule(.csmsCall, at: after(rng.exponential(mean: 5400)))
        case .dataTransfer:
            dataTransfer()
            schedule(.dataTransfer, at: after(rng.exponential(mean: 8 * 3600)))
        case .callError: dataTransfer()
        case .ping:
            ping()
            if let p = profile.pingInterval { schedule(.ping, at: cursor + p) }
        case .reset: resetAndReconnect()
        case .unanswered: unansweredCall()
        }
        readyAt = cursor
    }

    // MARK: Exchanges

    /// Payload timestamp on the charger's clock.
    private func cpTime(_ t: Int64? = nil) -> String {
        "\"" + ISOTime.string(micros: (t ?? cursor) + profile.clockOffset, fraction: profile.millisTimestamps ? .millis : .none) + "\""
    }
    /// The payload timestamp as written (charger clock, truncated to the
    /// precision this charger writes), in µs — what the truth file records.
    private func payloadMicros(_ t: Int64) -> Int64 {
        let v = t + profile.clockOffset
        let unit: Int64 = profile.millisTimestamps ? 1000 : 1_000_000
        return v - ((v % unit) + unit) % unit
    }
    /// The CSMS clock (correct time, milliseconds).
    private func csmsTime() -> String { "\"" + ISOTime.string(micros: cursor, fraction: .millis) + "\"" }

    private func think() -> Int64 { Int64(rng.int(2_000...40_000)) }
    private func csmsLatency() -> Int64 { let u = rng.double(); return 3_000 + Int64(u * u * u * 297_000) }
    private func cpLatency() -> Int64 { 8_000 + Int64(rng.double() * rng.double() * 250_000) }

    private func send(_ text: String, from side: FlowSide, at t: Int64) -> Int64 {
        guard let conn else { return t }
        var fragments = 1
        var interleave = false
        if text.utf8.count > 120 && fragmentShare > 0 && (fragmentCompressed || profile.deflate == nil)
            && rng.chance(fragmentShare) {
            fragments = rng.int(2...3)
            interleave = side == .server && rng.chance(0.5)
            if interleave { truth.ping(at: t) }
        }
        return conn.sendText(text, from: side, at: t, fragments: fragments, interleavePing: interleave, rng: &rng)
    }

    private func record(_ type: Int, _ action: String?, at t: Int64) {
        guard let conn else { return }
        truth.message(type: type, action: action, identity: profile.identity, connection: conn.truthIndex, at: t)
    }

    /// Charge point → CSMS CALL, answered by CALLRESULT `result` or CALLERROR `error`.
    @discardableResult
    private func cpCall(_ action: String, _ payload: String, result: String?, error: (String, String)? = nil) -> String {
        let uid = rng.uuid()
        let t0 = cursor
        var last = send("[2,\"\(uid)\",\"\(action)\",\(payload)]", from: .client, at: t0)
        record(2, action, at: t0)
        let tr = max(t0 + csmsLatency(), last + 100)
        cursor = tr
        if let result {
            last = send("[3,\"\(uid)\",\(result)]", from: .server, at: tr)
            record(3, nil, at: tr)
        } else if let (code, description) = error {
            last = send("[4,\"\(uid)\",\"\(code)\",\(JSONText.quoted(description)),{}]", from: .server, at: tr)
            record(4, nil, at: tr)
        }
        cursor = last + think()
        return uid
    }

    /// CSMS → charge point CALL; `result` nil leaves it unanswered.
    @discardableResult
    private func csmsCall(_ action: String, _ payload: String, result: String?) -> String {
        let uid = rng.uuid()
        let t0 = cursor
        var last = send("[2,\"\(uid)\",\"\(action)\",\(payload)]", from: .server, at: t0)
        record(2, action, at: t0)
        if let result {
            let tr = max(t0 + profile.rtt + cpLatency(), last + 100)
            last = send("[3,\"\(uid)\",\(result)]", from: .client, at: tr)
            record(3, nil, at: tr)
        }
        cursor = last + think()
        return uid
    }

    // MARK: Connection life cycle

    private func connect() {
        attempts += 1
        let client = Endpoint(ip: profile.clientIP, port: UInt16(rng.int(40_000...60_999)))
        let flow = TCPFlow(client: client, server: profile.server, link: link, mss: 1448, rtt: profile.rtt,
                           clientISN: UInt32(truncatingIfNeeded: rng.next()), serverISN: UInt32(truncatingIfNeeded: rng.next()))
        let refused = profile.refuseFirstAttempt && attempts == 1
        let deflate = refused ? nil : profile.deflate
        let index = truth.openConnection(identity: profile.identity, client: client, server: profile.server,
                                         version: profile.version, compressed: deflate != nil,
                                         extensions: deflate?.headerValue, at: cursor)
        // Cannot fail: window bits come from our own profiles (9...15).
        let c = try! WebSocketConnection(flow: flow, deflate: deflate, level: deflateLevel, truthIndex: index, sink: sink)
        var last = c.emit(flow.handshake(at: cursor))
        let key = HTTPUpgrade.makeKey(&rng)
        let offered: [String]
        switch profile.version {
        case .v16: offered = ["ocpp1.6"]
        case .v201: offered = ["ocpp2.0.1", "ocpp1.6"]
        case .v21: offered = ["ocpp2.1", "ocpp2.0.1"]
        }
        let auth: (user: String, password: String)? = profile.basicAuthPassword.map { (profile.identity, $0) }
        // The refused attempt carries a wrong password.
        let sentAuth = refused ? auth.map { ($0.user, "wrong-password") } : auth
        if sentAuth != nil { truth.basicAuth(at: cursor) }
        let request = HTTPUpgrade.clientRequest(identity: profile.identity, host: profile.host, key: key, protocols: offered,
                                                offerDeflate: profile.deflate != nil, basicAuth: sentAuth)
        last = c.sendRaw(Array(request.utf8), from: .client, at: last + 200)
        let tResp = last + Int64(rng.int(1_500...9_000))
        if refused {
            last = c.sendRaw(Array(HTTPUpgrade.refusal(status: 401).utf8), from: .server, at: tResp)
            last = c.emit(flow.close(from: .server, at: last + 500))
            truth.refuse(index, status: 401, at: last)
            cursor = last
            schedule(.connect, at: cursor + Int64(rng.int(10...20)) * second, designated: true)
            return
        }
        let response = HTTPUpgrade.switchingProtocols(key: key, protocol: profile.version.subprotocol, deflate: deflate)
        last = c.sendRaw(Array(response.utf8), from: .server, at: tResp)
        conn = c
        cursor = last + think()
        boot()
    }

    private func boot() {
        if profile.version == .v16 {
            cpCall("BootNotification",
                   "{\"chargePointVendor\":\"\(profile.vendor)\",\"chargePointModel\":\"\(profile.model)\",\"chargePointSerialNumber\":\"\(profile.serial)\",\"firmwareVersion\":\"\(profile.firmware)\"}",
                   result: "{\"status\":\"Accepted\",\"currentTime\":\(csmsTime()),\"interval\":\(profile.heartbeatInterval)}")
            statusNotification(0, "Available")
        } else {
            cpCall("BootNotification",
                   "{\"chargingStation\":{\"model\":\"\(profile.model)\",\"vendorName\":\"\(profile.vendor)\",\"serialNumber\":\"\(profile.serial)\",\"firmwareVersion\":\"\(profile.firmware)\"},\"reason\":\"\(bootReason)\"}",
                   result: "{\"currentTime\":\(csmsTime()),\"interval\":\(profile.heartbeatInterval),\"status\":\"Accepted\"}")
        }
        for c in connectors.indices { statusNotification(c + 1, connectors[c].status) }
        if profile.version.is2x && !notifiedEvent {
            notifiedEvent = true
            cpCall("NotifyEvent",
                   "{\"generatedAt\":\(cpTime()),\"seqNo\":0,\"tbc\":false,\"eventData\":[{\"eventId\":1,\"timestamp\":\(cpTime()),\"trigger\":\"Delta\",\"actualValue\":\"Available\",\"component\":{\"name\":\"Connector\",\"evse\":{\"id\":1,\"connectorId\":1}},\"variable\":{\"name\":\"AvailabilityState\"},\"eventNotificationType\":\"HardWiredNotification\"}]}",
                   result: "{}")
        }
        schedule(.heartbeat, at: after(Double(profile.heartbeatInterval)))
        for c in connectors.indices {
            schedule(.idleOver(c), at: after(rng.exponential(mean: meanIdle / 2) + 30))
        }
        schedule(.csmsCall, at: after(rng.exponential(mean: 5400)))
        schedule(.dataTransfer, at: after(rng.exponential(mean: 8 * 3600)))
        if let p = profile.pingInterval { schedule(.ping, at: cursor + p) }
        // Not designated: it belongs to this connection only.
        if let m = churnMean { schedule(.reset, at: after(rng.exponential(mean: m) + 1)) }
    }

    /// Reset by the CSMS: stop sessions, close the WebSocket (close frames
    /// both ways, server closes TCP), reconnect 20–40 s later.
    private func resetAndReconnect() {
        let v16 = profile.version == .v16
        csmsCall("Reset", v16 ? "{\"type\":\"Soft\"}" : "{\"type\":\"Immediate\"}", result: "{\"status\":\"Accepted\"}")
        for c in connectors.indices where connectors[c].session != nil {
            stopSession(c, reason: v16 ? "SoftReset" : "ImmediateReset", resetting: true)
        }
        guard let c = conn else { return }
        var last = c.sendControl(.close, WebSocketEncoder.closePayload(code: 1000, reason: "Reset"), from: .client, at: cursor, rng: &rng)
        last = c.sendControl(.close, WebSocketEncoder.closePayload(code: 1000, reason: ""), from: .server, at: last + 300, rng: &rng)
        last = c.emit(c.flow.close(from: .server, at: last + 200))
        truth.close(c.truthIndex, code: 1000, at: last)
        conn = nil
        epoch += 1
        for i in connectors.indices {
            connectors[i].gen += 1
            connectors[i].session = nil
            connectors[i].status = "Available"
        }
        bootReason = "RemoteReset"
        cursor = last
        schedule(.connect, at: cursor + Int64(rng.int(20...40)) * second, designated: true)
    }

    private func ping() {
        guard let c = conn else { return }
        let payload = rng.bytes(rng.int(1...8))
        var last = c.sendControl(.ping, payload, from: .server, at: cursor, rng: &rng)
        last = c.sendControl(.pong, payload, from: .client, at: last + 300, rng: &rng)
        truth.ping(at: cursor)
        cursor = last + think()
    }

    // MARK: Connectors and sessions

    private var v16: Bool { profile.version == .v16 }

    private func statusNotification(_ c: Int, _ status: String, errorCode: String? = nil) {
        if c > 0 { connectors[c - 1].status = status }
        let t = cursor
        if v16 {
            cpCall("StatusNotification",
                   "{\"connectorId\":\(c),\"errorCode\":\"\(errorCode ?? "NoError")\",\"status\":\"\(status)\",\"timestamp\":\(cpTime())}",
                   result: "{}")
            truth.status(identity: profile.identity, connector: c, evse: nil, status: status, errorCode: errorCode ?? "NoError", at: t)
        } else {
            cpCall("StatusNotification",
                   "{\"timestamp\":\(cpTime()),\"connectorStatus\":\"\(status)\",\"evseId\":\(c),\"connectorId\":1}",
                   result: "{}")
            truth.status(identity: profile.identity, connector: 1, evse: c, status: status, errorCode: nil, at: t)
        }
    }

    private func idleOver(_ c: Int) {
        let r = rng.double()
        if r < 0.05 {
            let code = v16 ? rng.pick(["GroundFailure", "HighTemperature", "PowerSwitchFailure", "ConnectorLockFailure", "OverCurrentFailure"]) : nil
            statusNotification(c + 1, "Faulted", errorCode: code)
            schedule(.becomeAvailable(c), at: after(Double(rng.int(120...900))))
        } else if r < 0.08 {
            statusNotification(c + 1, "Unavailable")
            schedule(.becomeAvailable(c), at: after(Double(rng.int(600...1800))))
        } else if r < 0.14 {
            statusNotification(c + 1, "Reserved")
            schedule(.startSession(c), at: after(Double(rng.int(120...600))))
        } else {
            startSession(c, remoteIdTag: nil)
        }
    }

    /// Energy register formatted in this charger's unit (1.6: string value + unit).
    private func energy16(_ wh: Int, context: String?) -> String {
        let ctx = context.map { ",\"context\":\"\($0)\"" } ?? ""
        if profile.meterUnit == .wh {
            return "{\"value\":\"\(wh)\"\(ctx),\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}"
        }
        return "{\"value\":\"\(JSONText.kWh(wh))\"\(ctx),\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"kWh\"}"
    }

    /// Energy register for 2.x: numeric value with unitOfMeasure.
    private func energy2x(_ wh: Int, context: String) -> String {
        let (value, unit): (String, String)
        switch profile.meterUnit {
        case .wh: (value, unit) = ("\(wh)", "{\"unit\":\"Wh\",\"multiplier\":0}")
        case .kwh: (value, unit) = (JSONText.kWh(wh), "{\"unit\":\"kWh\",\"multiplier\":0}")
        case .whTimes1000: (value, unit) = (JSONText.kWh(wh), "{\"unit\":\"Wh\",\"multiplier\":3}")
        }
        return "{\"value\":\(value),\"context\":\"\(context)\",\"measurand\":\"Energy.Active.Import.Register\",\"unitOfMeasure\":\(unit)}"
    }

    private func idToken2x(_ tag: String, type: String = "ISO14443") -> String { "{\"idToken\":\"\(tag)\",\"type\":\"\(type)\"}" }

    private func startSession(_ c: Int, remoteIdTag: String?, remoteStartId: Int? = nil) {
        let tag = remoteIdTag ?? rng.pick(csms.idTags)
        let remote = remoteIdTag != nil
        let meterStart = connectors[c].meterWh
        let power = rng.int(370...2200) * 10
        let soc = Double(rng.int(8...60))
        var txId: String
        var payloadStart: Int64
        if v16 {
            statusNotification(c + 1, "Preparing")
            if !remote {
                cpCall("Authorize", "{\"idTag\":\"\(tag)\"}", result: "{\"idTagInfo\":{\"status\":\"Accepted\"}}")
            }
            let tx = csms.nextTransactionId
            csms.nextTransactionId += 1
            txId = String(tx)
            payloadStart = payloadMicros(cursor)
            cpCall("StartTransaction",
                   "{\"connectorId\":\(c + 1),\"idTag\":\"\(tag)\",\"meterStart\":\(meterStart),\"timestamp\":\(cpTime())}",
                   result: "{\"transactionId\":\(tx),\"idTagInfo\":{\"status\":\"Accepted\"}}")
        } else {
            if connectors[c].status != "Occupied" { statusNotification(c + 1, "Occupied") }
            if !remote {
                cpCall("Authorize", "{\"idToken\":\(idToken2x(tag))}", result: "{\"idTokenInfo\":{\"status\":\"Accepted\"}}")
            }
            txId = rng.uuid()
            payloadStart = payloadMicros(cursor)
            let remoteField = remoteStartId.map { ",\"remoteStartId\":\($0)" } ?? ""
            cpCall("TransactionEvent",
                   "{\"eventType\":\"Started\",\"timestamp\":\(cpTime()),\"triggerReason\":\"\(remote ? "RemoteStart" : "Authorized")\",\"seqNo\":0,\"transactionInfo\":{\"transactionId\":\"\(txId)\",\"chargingState\":\"Charging\"\(remoteField)},\"evse\":{\"id\":\(c + 1),\"connectorId\":1},\"idToken\":\(idToken2x(tag, type: remote ? "Central" : "ISO14443")),\"meterValue\":[{\"timestamp\":\(cpTime()),\"sampledValue\":[\(energy2x(meterStart, context: "Transaction.Begin"))]}]}",
                   result: "{\"idTokenInfo\":{\"status\":\"Accepted\"}}")
        }
        let ti = truth.startTransaction(identity: profile.identity, connector: v16 ? c + 1 : 1, evse: v16 ? nil : c + 1,
                                        transactionId: txId, idTag: tag, at: payloadStart, meterStartWh: meterStart, remote: remote)
        connectors[c].gen += 1
        connectors[c].session = Session(transactionId: txId, idTag: tag, payloadStart: payloadStart, meterStartWh: meterStart,
                                        lastSample: cursor, powerW: power, seqNo: 1, truthIndex: ti, soc: soc,
                                        remoteStartId: remoteStartId)
        if v16 { statusNotification(c + 1, "Charging") }
        schedule(.meterSample(c), at: after(Double(profile.sampleInterval)))
        schedule(.stopSession(c), at: after(Double(rng.int(20 * 60...150 * 60))))
    }

    /// Integrates power over the time since the last sample.
    private func advanceMeter(_ c: Int) {
        guard var s = connectors[c].session else { return }
        let dt = cursor - s.lastSample
        if !s.suspended && dt > 0 {
            let milliWh = Int64(s.powerW) * dt / 3_600_000   // W·µs → mWh
            connectors[c].meterMilliWh += milliWh
            s.soc = min(100, s.soc + Double(milliWh) / 600_000)  // 60 kWh battery
        }
        s.lastSample = cursor
        connectors[c].session = s
    }

    private func meterSample(_ c: Int) {
        guard connectors[c].session != nil else { return }
        advanceMeter(c)
        var s = connectors[c].session!
        var changed: String? = nil
        if !s.suspended && rng.chance(0.07) { s.suspended = true; changed = "SuspendedEV" }
        else if s.suspended && rng.chance(0.5) { s.suspended = false; changed = "Charging" }
        let wh = connectors[c].meterWh
        let power = s.suspended ? 0 : s.powerW + rng.int(-150...150)
        if v16 {
            connectors[c].session = s
            if let status = changed { statusNotification(c + 1, status) }
            var values = [energy16(wh, context: "Sample.Periodic")]
            if profile.meterUnit == .wh {
                values.append("{\"value\":\"\(power)\",\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"unit\":\"W\"}")
            } else {
                values.append("{\"value\":\"\(JSONText.kWh(power))\",\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"unit\":\"kW\"}")
            }
            if profile.reportsSoC {
                values.append("{\"value\":\"\(Int(s.soc))\",\"context\":\"Sample.Periodic\",\"measurand\":\"SoC\",\"location\":\"EV\",\"unit\":\"Percent\"}")
            }
            cpCall("MeterValues",
                   "{\"connectorId\":\(c + 1),\"transactionId\":\(s.transactionId),\"meterValue\":[{\"timestamp\":\(cpTime()),\"sampledValue\":[\(values.joined(separator: ","))]}]}",
                   result: "{}")
        } else {
            let state = s.suspended ? "SuspendedEV" : "Charging"
            var values = [energy2x(wh, context: "Sample.Periodic"),
                          "{\"value\":\(power),\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"unitOfMeasure\":{\"unit\":\"W\"}}"]
            if profile.reportsSoC {
                values.append("{\"value\":\(Int(s.soc)),\"context\":\"Sample.Periodic\",\"measurand\":\"SoC\",\"location\":\"EV\",\"unitOfMeasure\":{\"unit\":\"Percent\"}}")
            }
            let trigger = changed == nil ? "MeterValuePeriodic" : "ChargingStateChanged"
            cpCall("TransactionEvent",
                   "{\"eventType\":\"Updated\",\"timestamp\":\(cpTime()),\"triggerReason\":\"\(trigger)\",\"seqNo\":\(s.seqNo),\"transactionInfo\":{\"transactionId\":\"\(s.transactionId)\",\"chargingState\":\"\(state)\"},\"meterValue\":[{\"timestamp\":\(cpTime()),\"sampledValue\":[\(values.joined(separator: ","))]}]}",
                   result: "{}")
            s.seqNo += 1
            connectors[c].session = s
        }
        schedule(.meterSample(c), at: after(Double(profile.sampleInterval)))
    }

    private func stopSession(_ c: Int, reason forced: String?, resetting: Bool = false) {
        guard connectors[c].session != nil else { return }
        advanceMeter(c)
        let s = connectors[c].session!
        let wh = connectors[c].meterWh
        let payloadStop = payloadMicros(cursor)
        let reason: String
        if v16 {
            reason = forced ?? (rng.chance(0.6) ? "EVDisconnected" : "Local")
            let data = "[{\"timestamp\":\(cpTime(s.payloadStart - profile.clockOffset)),\"sampledValue\":[\(energy16(s.meterStartWh, context: "Transaction.Begin"))]},{\"timestamp\":\(cpTime()),\"sampledValue\":[\(energy16(wh, context: "Transaction.End"))]}]"
            cpCall("StopTransaction",
                   "{\"transactionId\":\(s.transactionId),\"idTag\":\"\(s.idTag)\",\"meterStop\":\(wh),\"timestamp\":\(cpTime()),\"reason\":\"\(reason)\",\"transactionData\":\(data)}",
                   result: "{\"idTagInfo\":{\"status\":\"Accepted\"}}")
        } else {
            let departed = forced == nil && rng.chance(0.6)
            let trigger = forced != nil ? "ResetCommand" : departed ? "EVDeparted" : "StopAuthorized"
            reason = forced ?? (departed ? "EVDisconnected" : "Local")
            let token = trigger == "StopAuthorized" ? ",\"idToken\":\(idToken2x(s.idTag))" : ""
            cpCall("TransactionEvent",
                   "{\"eventType\":\"Ended\",\"timestamp\":\(cpTime()),\"triggerReason\":\"\(trigger)\",\"seqNo\":\(s.seqNo),\"transactionInfo\":{\"transactionId\":\"\(s.transactionId)\",\"chargingState\":\"\(departed ? "Idle" : "EVConnected")\",\"stoppedReason\":\"\(reason)\"},\"evse\":{\"id\":\(c + 1),\"connectorId\":1}\(token),\"meterValue\":[{\"timestamp\":\(cpTime()),\"sampledValue\":[\(energy2x(wh, context: "Transaction.End"))]}]}",
                   result: token.isEmpty ? "{}" : "{\"idTokenInfo\":{\"status\":\"Accepted\"}}")
        }
        truth.stopTransaction(s.truthIndex, at: payloadStop, meterStopWh: wh, reason: reason)
        connectors[c].session = nil
        connectors[c].gen += 1
        if resetting { return }
        if v16 {
            statusNotification(c + 1, "Finishing")
            schedule(.becomeAvailable(c), at: after(Double(rng.int(30...180))))
        } else if reason == "EVDisconnected" {
            statusNotification(c + 1, "Available")
            schedule(.idleOver(c), at: after(rng.exponential(mean: meanIdle)))
        } else {
            schedule(.becomeAvailable(c), at: after(Double(rng.int(30...180))))
        }
    }

    // MARK: CSMS-initiated and odd traffic

    private func randomCSMSCall() {
        let idle = connectors.indices.filter { connectors[$0].session == nil && connectors[$0].status == "Available" }
        let r = rng.double()
        if r < 0.3, let c = idle.first {
            let tag = rng.pick(csms.idTags)
            connectors[c].gen += 1   // cancels the pending idle timer
            if v16 {
                csmsCall("RemoteStartTransaction", "{\"connectorId\":\(c + 1),\"idTag\":\"\(tag)\"}", result: "{\"status\":\"Accepted\"}")
                startSession(c, remoteIdTag: tag)
            } else {
                let id = csms.nextRemoteStartId
                csms.nextRemoteStartId += 1
                csmsCall("RequestStartTransaction", "{\"idToken\":\(idToken2x(tag, type: "Central")),\"remoteStartId\":\(id),\"evseId\":\(c + 1)}",
                         result: "{\"status\":\"Accepted\"}")
                startSession(c, remoteIdTag: tag, remoteStartId: id)
            }
        } else if r < 0.55 {
            if v16 {
                csmsCall("ChangeConfiguration", "{\"key\":\"MeterValueSampleInterval\",\"value\":\"\(profile.sampleInterval)\"}", result: "{\"status\":\"Accepted\"}")
            } else {
                csmsCall("GetVariables", "{\"getVariableData\":[{\"component\":{\"name\":\"OCPPCommCtrlr\"},\"variable\":{\"name\":\"HeartbeatInterval\"}},{\"component\":{\"name\":\"SampledDataCtrlr\"},\"variable\":{\"name\":\"TxUpdatedInterval\"}}]}",
                         result: "{\"getVariableResult\":[{\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"OCPPCommCtrlr\"},\"variable\":{\"name\":\"HeartbeatInterval\"},\"attributeValue\":\"\(profile.heartbeatInterval)\"},{\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"SampledDataCtrlr\"},\"variable\":{\"name\":\"TxUpdatedInterval\"},\"attributeValue\":\"\(profile.sampleInterval)\"}]}")
            }
        } else if r < 0.8 {
            let c = rng.below(connectors.count)
            if v16 {
                csmsCall("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":\(c + 1)}", result: "{\"status\":\"Accepted\"}")
            } else {
                csmsCall("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"evse\":{\"id\":\(c + 1),\"connectorId\":1}}", result: "{\"status\":\"Accepted\"}")
            }
            statusNotification(c + 1, connectors[c].status)
        } else if v16 {
            // A long answer: more than one TCP segment.
            var keys: [String] = []
            let names = ["AllowOfflineTxForUnknownId", "AuthorizationCacheEnabled", "AuthorizeRemoteTxRequests", "ClockAlignedDataInterval",
                         "ConnectionTimeOut", "ConnectorPhaseRotation", "GetConfigurationMaxKeys", "HeartbeatInterval",
                         "LocalAuthorizeOffline", "LocalPreAuthorize", "MeterValuesAlignedData", "MeterValuesSampledData",
                         "MeterValueSampleInterval", "NumberOfConnectors", "ResetRetries", "StopTransactionOnEVSideDisconnect",
                         "StopTransactionOnInvalidId", "StopTxnAlignedData", "StopTxnSampledData", "SupportedFeatureProfiles",
                         "TransactionMessageAttempts", "TransactionMessageRetryInterval", "UnlockConnectorOnEVSideDisconnect",
                         "WebSocketPingInterval", "LocalAuthListEnabled", "LocalAuthListMaxLength", "SendLocalListMaxLength",
                         "ChargeProfileMaxStackLevel", "ChargingScheduleAllowedChargingRateUnit", "ChargingScheduleMaxPeriods",
                         "MaxChargingProfilesInstalled", "ReserveConnectorZeroSupported"]
            for (i, k) in names.enumerated() {
                let value: String
                switch k {
                case "HeartbeatInterval": value = "\(profile.heartbeatInterval)"
                case "MeterValueSampleInterval": value = "\(profile.sampleInterval)"
                case "NumberOfConnectors": value = "\(profile.connectors)"
                case "SupportedFeatureProfiles": value = "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"
                case "MeterValuesSampledData", "StopTxnSampledData": value = "Energy.Active.Import.Register,Power.Active.Import,SoC"
                default: value = i % 3 == 0 ? "true" : "\(i * 10)"
                }
                keys.append("{\"key\":\"\(k)\",\"readonly\":\(i % 4 == 0),\"value\":\"\(value)\"}")
            }
            csmsCall("GetConfiguration", "{}", result: "{\"configurationKey\":[\(keys.joined(separator: ","))]}")
        } else {
            csmsCall("TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", result: "{\"status\":\"Accepted\"}")
            cpCall("Heartbeat", "{}", result: "{\"currentTime\":\(csmsTime())}")
        }
    }

    /// A vendor DataTransfer the CSMS does not implement: answered by CALLERROR.
    private func dataTransfer() {
        let data = v16 ? "\"uptime=\(rng.int(1000...99999));rssi=-\(rng.int(50...95))\"" : "{\"uptime\":\(rng.int(1000...99999)),\"rssi\":-\(rng.int(50...95))}"
        cpCall("DataTransfer", "{\"vendorId\":\"com.example.diag\",\"messageId\":\"Telemetry\",\"data\":\(data)}",
               result: nil, error: ("NotImplemented", "Vendor com.example.diag is not supported"))
    }

    /// A CSMS call the charge point never answers.
    private func unansweredCall() {
        let uid: String
        let t0 = cursor
        let action = v16 ? "GetConfiguration" : "GetVariables"
        if v16 {
            uid = csmsCall(action, "{\"key\":[\"MeterValueSampleInterval\"]}", result: nil)
        } else {
            uid = csmsCall(action, "{\"getVariableData\":[{\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"SecurityProfile\"}}]}", result: nil)
        }
        truth.unansweredCall(identity: profile.identity, uniqueId: uid, action: action, at: t0)
    }
}

extension ChargePointSim.TaskKind {
    var isConnect: Bool { if case .connect = self { return true } else { return false } }
}
