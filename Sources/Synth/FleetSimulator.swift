// The fleet: N charge points and one CSMS, merged into one capture.
//
// Charge points are stepped in order of their next event time. Each step may
// emit packets a little into the future (answers, ACKs); those wait in a
// min-heap and are written once every charge point's next event lies beyond
// them, so the file is in time order and memory stays proportional to the
// number of connections, whatever the length of the capture.

public struct FleetResult: Sendable {
    public var capturePath: String?
    public var truthPath: String?
    public var packets: Int
    public var bytes: Int64
    public var messages: Int
    public var byType: [String: Int]
    public var connections: Int
    public var transactions: Int
    public var simulatedSeconds: Int64
}

public final class FleetSimulator: PacketSink {
    public let config: FleetConfig
    public let truth: TruthRecorder
    private var pending = MinHeap<(time: Int64, seq: Int, packet: Packet)>(less: { ($0.time, $0.seq) < ($1.time, $1.seq) })
    private var emitted = 0
    private var writer: CaptureWriter?
    private var captureStart: Int64
    private var lastWritten: Int64 = 0
    private var sims: [ChargePointSim] = []

    public init(config: FleetConfig) {
        self.config = config
        self.captureStart = config.startTime + config.captureStartOffsetSeconds * 1_000_000
        self.truth = TruthRecorder(detail: config.truth, captureStart: captureStart)
    }

    public func emit(_ packet: Packet) {
        emitted += 1
        pending.push((packet.timestamp, emitted, packet))
    }

    private func flush(before limit: Int64) throws {
        guard let writer else { return }
        while let top = pending.min, top.time < limit {
            pending.pop()
            if top.time >= captureStart {
                try writer.write(top.packet)
                lastWritten = top.time
            }
        }
    }

    /// Builds the charge points' traits from the seed. Versions, compression
    /// and IPv6 are assigned by stratified quantiles (not coin flips) so that
    /// a fleet of six already has every kind the configuration asks for.
    static func profiles(config: FleetConfig, rng root: inout SynthRandom) -> [ChargePointProfile] {
        let n = max(1, config.chargePoints)
        let totalWeight = config.versionMix.reduce(0) { $0 + $1.weight }
        let vendors = [("Alfen", "Eve Single"), ("ABB", "Terra AC"), ("Wallbox", "Commander 2"), ("Kempower", "S-Series"), ("Zaptec", "Pro")]
        var out: [ChargePointProfile] = []
        var compressedOrdinal = 0
        for i in 0..<n {
            var r = root.fork(UInt64(i))
            let q = (Double(i) + 0.5) / Double(n) * totalWeight
            var acc = 0.0
            var version = config.versionMix.last?.version ?? .v16
            for (v, w) in config.versionMix { acc += w; if q < acc { version = v; break } }
            let identity: String
            if config.encodedIdentity && i == 2 { identity = "CP 0003-Süd" } else {
                let digits = String(i + 1)
                identity = "CP" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            }
            let share = min(max(config.compressedShare, 0), 1)
            let compressed = (Double(i + 1) * share).rounded(.down) > (Double(i) * share).rounded(.down)
            var deflate: DeflateParameters? = nil
            if compressed {
                switch compressedOrdinal % 3 {
                case 0: deflate = DeflateParameters(clientMaxWindowBits: 15)
                case 1: deflate = DeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
                default: deflate = DeflateParameters(serverMaxWindowBits: 12, clientMaxWindowBits: 10)
                }
                compressedOrdinal += 1
            }
            let v6share = min(max(config.ipv6Share, 0), 1)
            let ipv6 = (Double(i + 1) * v6share).rounded(.down) > (Double(i) * v6share).rounded(.down)
            let clientIP: IPAddress = ipv6
                ? .v6([0xfd00, 0x21, 0, 0, 0, 0, UInt16(i / 65_536), UInt16(i % 65_536) &+ 10])
                : .v4(10, 21, UInt8(truncatingIfNeeded: i / 250), UInt8(i % 250 + 2))
            let serverIP: IPAddress = ipv6 ? .v6([0xfd00, 0x20, 0, 0, 0, 0, 0, 0x10]) : .v4(10, 20, 0, 10)
            let ports = config.serverPorts.isEmpty ? [9000] : config.serverPorts
            let (vendor, model) = r.pick(vendors)
            let meterUnit: MeterUnit = version == .v16 ? (r.chance(0.35) ? .kwh : .wh) : r.pick([.wh, .kwh, .whTimes1000])
            let password = i % 2 == 0 ? String(decoding: r.bytes(10).flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 15)]] }, as: UTF8.self) : nil
            out.append(ChargePointProfile(
                index: i, identity: identity, version: version, deflate: deflate,
                connectors: r.chance(0.5) ? 2 : 1,
                heartbeatInterval: r.pick([120, 300, 300, 600]),
                meterUnit: meterUnit,
                sampleInterval: r.pick([60, 120, 300]),
                reportsSoC: r.chance(0.4),
                clientIP: clientIP,
                server: Endpoint(ip: serverIP, port: ports[i % ports.count]),
                rtt: Int64(r.int(15_000...120_000)),
                pingInterval: (config.pingIntervalSeconds != nil && i % 3 == 0) ? config.pingIntervalSeconds! * 1_000_000 : nil,
                basicAuthPassword: password,
                vendor: vendor, model: model,
                serial: "SN" + String(r.int(100_000...999_999)),
                firmware: "\(r.int(1...5)).\(r.int(0...12)).\(r.int(0...30))",
                clockOffset: i == 1 ? 97_000_000 : 0,
                millisTimestamps: version.is2x || r.chance(0.3),
                refuseFirstAttempt: config.refusedAttempt && i == 0,
                firstConnect: config.startTime + Int64(i) * 3_000_000 + Int64(r.int(0...2_000_000))))
        }
        return out
    }

    /// Runs the scenario into `writer` (packets before the capture start are
    /// dropped). Stops at the configured duration, or once the writer holds
    /// `targetBytes`.
    public func run(writer: CaptureWriter, progress: ((Int64) -> Void)? = nil) throws -> FleetResult {
        self.writer = writer
        var root = SynthRandom(seed: config.seed)
        let csms = CSMSState(rng: &root)
        let profiles = FleetSimulator.profiles(config: config, rng: &root)
        for p in profiles {
            truth.addChargePoint(identity: p.identity, json: p.truthJSON)
            sims.append(ChargePointSim(profile: p, rng: root.fork(0xC0FFEE &+ UInt64(p.index)), sink: self, truth: truth, csms: csms,
                                       link: config.link, fragmentShare: config.fragmentShare, fragmentCompressed: config.fragmentCompressed, meanIdle: config.meanIdleSeconds,
                                       deflateLevel: config.deflateLevel))
            sims[sims.count - 1].churnMean = config.churnMeanSeconds
        }
        // Designated events at fixed fractions of the run (or fixed hours for open-ended runs).
        let n = sims.count
        func at(_ fraction: Double, hours: Double) -> Int64 {
            let seconds = config.targetBytes == nil ? Double(config.durationSeconds) * fraction : hours * 3600
            return config.startTime + Int64(seconds * 1_000_000)
        }
        if config.callError { sims[3 % n].scheduleDesignated(.callError, at: at(0.2, hours: 1)) }
        if config.unansweredCall { sims[2 % n].scheduleDesignated(.unanswered, at: at(0.35, hours: 1.75)) }
        if config.reconnect { sims[1 % n].scheduleDesignated(.reset, at: at(0.55, hours: 2.75)) }

        let end = config.targetBytes == nil ? config.startTime + config.durationSeconds * 1_000_000 : Int64.max
        var order = MinHeap<(time: Int64, index: Int)>(less: { ($0.time, $0.index) < ($1.time, $1.index) })
        for (i, s) in sims.enumerated() { order.push((s.nextTime, i)) }
        var nextProgress: Int64 = 64 << 20
        while let top = order.pop() {
            if top.time >= end || top.time == Int64.max { break }
            if let target = config.targetBytes, writer.bytesWritten >= target { break }
            try flush(before: top.time)
            let sim = sims[top.index]
            sim.step()
            order.push((sim.nextTime, top.index))
            if let progress, writer.bytesWritten >= nextProgress { progress(writer.bytesWritten); nextProgress += 64 << 20 }
        }
        try flush(before: Int64.max)
        return FleetResult(capturePath: nil, truthPath: nil, packets: writer.packetsWritten, bytes: writer.bytesWritten,
                           messages: truth.totalMessages, byType: truth.byType, connections: truth.connections.count,
                           transactions: truth.transactions.count,
                           simulatedSeconds: max(0, (lastWritten - config.startTime) / 1_000_000))
    }

    /// Runs the scenario into `<directory>/<name>.<format>` and, unless the
    /// truth detail is `.none`, writes `<name>.<format>.truth.json` next to it.
    public func run(outputDirectory directory: String, progress: ((Int64) -> Void)? = nil) throws -> FleetResult {
        let base = directory.hasSuffix("/") ? directory + config.name : directory + "/" + config.name
        let path = base + "." + config.format.fileExtension
        let output = try ByteOutput(path: path)
        let writer = try config.format.writer(output: output, linkType: config.link.linkType, snaplen: config.snaplen)
        var result = try run(writer: writer, progress: progress)
        try writer.close()
        result.capturePath = path
        if config.truth != .none {
            // `<capture file>.truth.json`, so a pcap and a pcapng of one name do not collide.
            let truthPath = path + ".truth.json"
            let text = truthJSON(result: result)
            let out = try ByteOutput(path: truthPath)
            try out.write(Array(text.utf8))
            try out.close()
            result.truthPath = truthPath
        }
        return result
    }

    /// The truth document for a finished run.
    public func truthJSON(result: FleetResult) -> String {
        var header: [(String, String)] = [
            ("generator", "\"ocppscope Synth\""),
            ("name", JSONText.quoted(config.name)),
            ("seed", "\(config.seed)"),
            ("format", "\"\(config.format.rawValue)\""),
            ("linkType", "\(config.link.linkType)"),
            ("link", JSONText.quoted(config.link.name)),
            ("chargePointCount", "\(config.chargePoints)"),
            ("simulationStart", JSONText.quoted(ISOTime.string(micros: config.startTime))),
            ("durationSeconds", config.targetBytes == nil ? "\(config.durationSeconds)" : "null"),
            ("targetBytes", config.targetBytes.map(String.init) ?? "null"),
            ("detail", "\"\(config.truth.rawValue)\""),
        ]
        header.append(("notes", JSONText.quoted("Times are capture (observation) times, except transactions' start/stop, which are the charger's payload timestamps as written (capture time + clockOffsetSeconds of the charge point, truncated to the charger's precision). Energy in Wh. Messages count OCPP-J messages whose first packet is inside the capture; WebSocket pings are counted separately.")))
        return truth.json(header: header, captureEnd: lastWritten, packets: result.packets, bytes: result.bytes)
    }
}
