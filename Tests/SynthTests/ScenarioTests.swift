import Testing
@testable import Synth

@Suite struct ScenarioTests {
    func smallConfig(seed: UInt64, format: CaptureFormat = .pcap) -> FleetConfig {
        var c = FleetConfig()
        c.chargePoints = 4
        c.durationSeconds = 3600
        c.seed = seed
        c.format = format
        return c
    }

    func run(_ c: FleetConfig) throws -> (bytes: [UInt8], sim: FleetSimulator, result: FleetResult) {
        let out = ByteOutput()
        let sim = FleetSimulator(config: c)
        let w = try c.format.writer(output: out, linkType: c.link.linkType)
        let r = try sim.run(writer: w)
        try w.close()
        return (out.memory, sim, r)
    }

    @Test func sameSeedSameBytes() throws {
        let a = try run(smallConfig(seed: 7))
        let b = try run(smallConfig(seed: 7))
        let c = try run(smallConfig(seed: 8))
        #expect(a.bytes.count > 10_000)
        #expect(a.bytes == b.bytes)
        #expect(a.sim.truthJSON(result: a.result) == b.sim.truthJSON(result: b.result))
        #expect(a.bytes != c.bytes)
    }

    @Test func timeOrderedAndTruthConsistent() throws {
        var c = smallConfig(seed: 3)
        c.durationSeconds = 2 * 3600
        let r = try run(c)
        let pcap = parsePcap(r.bytes)
        #expect(pcap.records.count == r.result.packets)
        let ts = pcap.records.map(\.ts)
        #expect(ts == ts.sorted())
        let t = r.sim.truth
        let calls = t.byType["CALL"] ?? 0, results = t.byType["CALLRESULT"] ?? 0, errors = t.byType["CALLERROR"] ?? 0
        #expect(calls > 100)
        #expect(calls == results + errors + t.unanswered.count)
        #expect(t.unanswered.count == 1 && errors >= 1)
        #expect(t.connections.contains { $0.refusedStatus == 401 })
        #expect(t.connections.contains { $0.closeCode == 1000 })          // the reset/reconnect
        #expect(t.totalMessages == r.result.messages)
        #expect(t.transactions.allSatisfy { $0.meterStopWh == nil || $0.meterStopWh! >= $0.meterStartWh })
    }

    @Test func lateStartDropsEarlyPackets() throws {
        var c = smallConfig(seed: 5)
        c.captureStartOffsetSeconds = 600
        let r = try run(c)
        let first = parsePcap(r.bytes).records.first!.ts
        #expect(first >= c.startTime + 600_000_000)
        #expect(r.sim.truth.connections.contains { $0.opened < c.startTime + 600_000_000 })   // connections predate the capture
        let full = try run(smallConfig(seed: 5))
        #expect(r.result.messages < full.result.messages)
    }

    /// With churn, every charge point's connections are reset one after
    /// another (a close frame with 1000, then a new TCP connection); the
    /// charge point is back online each time, so the messages go on.
    @Test func churnResetsAndReconnects() throws {
        var c = smallConfig(seed: 7)
        c.churnMeanSeconds = 240
        let r = try run(c)
        let conns = r.sim.truth.connections.filter { $0.refusedStatus == nil }
        // An hour at a four-minute mean, less the 20–40 s each reconnect takes.
        #expect(conns.count > 4 * 8)
        #expect(conns.filter { $0.closeCode == 1000 }.count >= conns.count - 4)
        let steady = try run(smallConfig(seed: 7))
        #expect(steady.sim.truth.connections.count < 8)
        #expect(r.result.messages > steady.result.messages / 2)
    }

    @Test func targetBytesStopsNearTarget() throws {
        var c = smallConfig(seed: 9)
        c.targetBytes = 300_000
        c.truth = .counts
        let r = try run(c)
        #expect(r.result.bytes >= 300_000 && r.result.bytes < 320_000)
    }

    @Test func isoTime() {
        #expect(ISOTime.string(micros: 0) == "1970-01-01T00:00:00Z")
        let t = ISOTime.micros(year: 2025, month: 3, day: 3, hour: 6, minute: 7, second: 8) + 123_456
        #expect(ISOTime.string(micros: t, fraction: .millis) == "2025-03-03T06:07:08.123Z")
        #expect(ISOTime.string(micros: t, fraction: .micros) == "2025-03-03T06:07:08.123456Z")
        #expect(ISOTime.string(micros: ISOTime.micros(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59)) == "2024-02-29T23:59:59Z")
    }

    @Test func randomIsDeterministicAndInRange() {
        var a = SynthRandom(seed: 42), b = SynthRandom(seed: 42)
        for _ in 0..<1000 {
            #expect(a.next() == b.next())
            let v = a.int(3...9); _ = b.int(3...9)
            #expect((3...9).contains(v))
        }
        var r = SynthRandom(seed: 1)
        let mean = (0..<20_000).map { _ in r.exponential(mean: 10) }.reduce(0, +) / 20_000
        #expect(abs(mean - 10) < 0.5)
        let u = r.uuid()
        #expect(u.count == 36 && Array(u)[14] == "4")
    }
}
