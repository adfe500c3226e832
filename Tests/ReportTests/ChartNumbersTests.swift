import Analysis
import Frames
@testable import Report
import Testing

/// The numbers behind each chart, from hand-made inputs.
@Suite("Chart numbers")
struct ChartNumbersTests {
    static let t0: Int64 = 1_740_960_000_000_000          // 2025-03-03T00:00:00Z
    static let minute: Int64 = 60_000_000
    static let hour: Int64 = 3_600_000_000
    static func m(_ n: Int64) -> Int64 { t0 + n * minute }

    static func session(_ start: Int64?, _ wh: Double?, port: String = "1") -> SessionRow {
        SessionRow(chargePoint: "CP1", sessionNo: 1, port: port, transactionId: nil, started: start, stopped: nil, energyWh: wh,
                   energySource: "meter_stop_minus_start", stopReason: nil, flags: [])
    }

    @Test func energyGoesToTheHourItStartedInWithEmptyHoursKept() {
        let window = Span(Self.m(30), Self.m(4 * 60 + 10))    // 00:30 – 04:10
        let (size, b) = EnergyBuckets.make([Self.session(Self.m(35), 5_000), Self.session(Self.m(59), 1_500),
                                            Self.session(Self.m(3 * 60 + 1), 2_000), Self.session(nil, 9_999),
                                            Self.session(Self.m(2 * 60), nil)], window: window)
        #expect(size == .hour)
        #expect(b.map(\.span.from) == (0...4).map { Self.t0 + Int64($0) * Self.hour })
        #expect(b.map(\.energyWh) == [6_500, 0, 0, 2_000, 0])
        #expect(b.map(\.sessions) == [2, 0, 1, 1, 0])
    }

    @Test func longerPeriodsArePerUTCDayAndAddUpToTheSessions() {
        let day = BucketSize.day.micros
        let window = Span(Self.t0, Self.t0 + 7 * day)
        let sessions = [Self.session(Self.t0 + 10, 1_000), Self.session(Self.t0 + day - 1, 2_000), Self.session(Self.t0 + day, 4_000),
                        Self.session(Self.t0 + 6 * day + Self.hour, 8_000), Self.session(Self.t0 + 7 * day, 16_000)]
        let (size, b) = EnergyBuckets.make(sessions, window: window)
        #expect(size == .day)
        #expect(b.count == 7)
        #expect(b.map(\.energyWh) == [3_000, 4_000, 0, 0, 0, 0, 8_000])
        #expect(b.reduce(0) { $0 + $1.energyWh } == 15_000)   // the session at the period's end is outside it
        #expect(EnergyBuckets.size(for: Span(Self.t0, Self.t0 + 2 * day)) == .hour)
    }

    @Test func statusesMapToTheStripStates() {
        #expect(StatusStrips.state(of: "Available") == .available)
        for s in ["Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved", "Occupied"] {
            #expect(StatusStrips.state(of: s) == .charging)
        }
        #expect(StatusStrips.state(of: "Faulted") == .faulted)
        #expect(StatusStrips.state(of: "Unavailable") == .unavailable)
        #expect(StatusStrips.state(of: "Bogus") == .unknown)
    }

    @Test func offlineCoversTheConnectorAndConnectorZeroItsFaultsAndGapsAreUnknown() {
        typealias R = StatusStrips.Reported
        let window = Span(Self.m(0), Self.m(100))
        let own = [R(span: Span(Self.m(10), Self.m(40)), status: "Available"),
                   R(span: Span(Self.m(40), Self.m(60)), status: "Charging"),
                   R(span: Span(Self.m(60), Self.m(80)), status: "SuspendedEV"),
                   R(span: Span(Self.m(80), Self.m(130)), status: "Faulted", errorCode: "GroundFailure")]
        let whole = [R(span: Span(Self.m(20), Self.m(30)), status: "Unavailable"), R(span: Span(Self.m(0), Self.m(100)), status: "Available")]
        let offline = [StatusStrips.Offline(span: Span(Self.m(50), Self.m(55)), began: "silent")]
        let s = StatusStrips.strip(label: "CP1 · 1", window: window, own: own, wholeChargePoint: whole, offline: offline)
        #expect(s.segments.map(\.state) == [.unknown, .available, .unavailable, .available, .charging, .offline, .charging, .charging, .faulted])
        #expect(s.segments.first?.span == Span(Self.m(0), Self.m(10)))
        #expect(s.segments[2].detail == "charge point Unavailable")
        #expect(s.segments[5].detail == "offline (silent)")
        #expect(s.segments.last?.detail == "Faulted (GroundFailure)")
        #expect(s.segments.last?.span.to == window.to)            // clipped to the period
        // The strip covers the period exactly, without overlaps.
        #expect(s.segments.reduce(0) { $0 + $1.span.length } == window.length)
        #expect(zip(s.segments, s.segments.dropFirst()).allSatisfy { $0.span.to == $1.span.from })
        #expect(s.micros(of: .charging) == 35 * Self.minute)    // 40–50, 55–60 and SuspendedEV 60–80
        #expect(s.micros(of: .unknown) == 10 * Self.minute)
    }

    @Test func repeatedReportsOfOneStateAreOneSegment() {
        typealias R = StatusStrips.Reported
        let s = StatusStrips.strip(label: "x", window: Span(Self.m(0), Self.m(30)),
                                   own: [R(span: Span(Self.m(0), Self.m(10)), status: "Available"),
                                         R(span: Span(Self.m(10), Self.m(30)), status: "Available")], offline: [])
        #expect(s.segments == [StripSegment(span: Span(Self.m(0), Self.m(30)), state: .available, detail: "Available")])
    }

    @Test func aDrawnStripMergesOneStateAndKeepsEveryShortFault() {
        typealias R = StatusStrips.Reported
        let strip = StatusStrips.strip(label: "x", window: Span(Self.m(0), Self.m(100)), own: [
            R(span: Span(Self.m(0), Self.m(30)), status: "Charging"), R(span: Span(Self.m(30), Self.m(50)), status: "SuspendedEV"),
            R(span: Span(Self.m(50), Self.m(60)), status: "Finishing"), R(span: Span(Self.m(60), Self.m(61)), status: "Faulted"),
            R(span: Span(Self.m(61), Self.m(62)), status: "Available"), R(span: Span(Self.m(62), Self.m(100)), status: "Charging"),
        ], offline: [])
        let drawn = StatusStrips.simplified(strip, resolution: 5 * Self.minute)
        #expect(drawn.segments.map(\.state) == [.charging, .faulted, .charging])     // the 1-minute Available is too short to see
        #expect(drawn.segments[0].span == Span(Self.m(0), Self.m(60)))
        #expect(drawn.segments[0].detail == "Charging, SuspendedEV, Finishing")
        #expect(drawn.segments[1].span.length == Self.minute)                         // the 1-minute fault stays
        #expect(StatusStrips.simplified(strip, resolution: 1).segments.map(\.state) == [.charging, .faulted, .available, .charging])
    }

    @Test func theConnectivityLaneIsOnlineOfflineOrUnknown() {
        let lane = StatusStrips.connectivityLane(window: Span(Self.m(0), Self.m(60)), online: [Span(Self.m(0), Self.m(20)), Span(Self.m(30), Self.m(50))],
                                                 offline: [StatusStrips.Offline(span: Span(Self.m(20), Self.m(30)), began: "closed")])
        #expect(lane.segments.map(\.state) == [.available, .offline, .available, .unknown])
        #expect(lane.micros(of: .offline) == 10 * Self.minute)
    }

    @Test func sessionLanesArePerPortAndOpenSessionsRunToTheEnd() {
        let window = Span(Self.m(0), Self.m(120))
        var a = Self.session(Self.m(10), 1_000, port: "2")
        a.stopped = Self.m(40)
        let b = Self.session(Self.m(30), nil, port: "1")
        let lanes = ReportGatherer.sessionLanes([a, b], window: window)
        #expect(lanes.map(\.label) == ["Sessions 1", "Sessions 2"])
        #expect(lanes[0].segments.map(\.span) == [Span(Self.m(30), Self.m(120))])
        #expect(lanes[1].segments.map(\.span) == [Span(Self.m(10), Self.m(40))])
        #expect(lanes[1].segments[0].detail.contains("1.00 kWh"))
    }

    @Test func anUptimeBarSplitsThePeriodInto100Percent() {
        let period = Span(Self.m(0), Self.m(1000))
        let covered = IntervalSet([Span(Self.m(0), Self.m(990))])             // 10 minutes unknown
        let history = PortHistory(chargePoint: "CP1", evse: 1, connector: 2, coverage: covered, known: covered,
                                  down: [DownSpan(span: Span(Self.m(100), Self.m(140)), cause: "Faulted", startMessage: nil, endMessage: nil, rank: 1)])
        let p = UptimeCalculator.compute(history, period: period, exclusions: [
            Exclusion(chargePoint: "CP1", connector: nil, span: Span(Self.m(100), Self.m(110)), reason: "utility")])
        let bar = ReportGatherer.bar(p)
        #expect(bar.port == "1/2")
        #expect(abs((bar.uptimePercent ?? 0) - 96.0) < 1e-9)        // (1000 − (40 − 10) − 10) / 1000
        #expect(abs(bar.upPercent - 95.0) < 1e-9)
        #expect(abs(bar.outagePercent - 3.0) < 1e-9)
        #expect(abs(bar.excludedPercent - 1.0) < 1e-9)
        #expect(abs(bar.unknownPercent - 1.0) < 1e-9)
        let sum: Double = bar.upPercent + bar.outagePercent + bar.excludedPercent + bar.unknownPercent
        #expect(abs(sum - 100) < 1e-9)
        #expect(bar.outageCount == 1)
        #expect(!bar.meetsThreshold)
    }

    @Test func valueTicksAreRoundAndCoverTheMaximum() {
        #expect(ChartScale.valueTicks(max: 7, count: 5) == [0, 2, 4, 6, 8])
        #expect(ChartScale.valueTicks(max: 107.5, count: 5) == [0, 50, 100, 150])
        #expect(ChartScale.valueTicks(max: 1, count: 4, integers: true) == [0, 1])
        #expect(ChartScale.valueTicks(max: 0) == [0, 1])
        let t = ChartScale.valueTicks(max: 0.37, count: 5)
        #expect(t.first == 0 && (t.last ?? 0) >= 0.37 && t.count <= 6)
    }

    @Test func timeTicksAreAlignedToUTCAndLabelledByTheirScale() {
        let morning = ChartScale.timeTicks(Span(Self.m(0) + 156_737, Self.m(179) + 38_878_449))
        #expect(morning.map(\.1) == ["00:30", "01:00", "01:30", "02:00", "02:30"])
        #expect(morning.allSatisfy { $0.0 % (30 * Self.minute) == 0 })
        let week = ChartScale.timeTicks(Span(Self.t0, Self.t0 + 7 * BucketSize.day.micros))
        #expect(week.first?.1 == "03-03" && week.count == 8)
    }

    @Test func topFindingsAreTheLongestOfEachKindByKindFrequency() {
        func f(_ kind: String, _ minutes: Int64?) -> AnomalyFinding {
            AnomalyFinding(kind: kind, chargePoint: "CP", connector: nil, from: minutes.map { _ in Self.t0 },
                           to: minutes.map { Self.t0 + $0 * Self.minute }, detail: "\(kind) \(minutes ?? -1)")
        }
        let all = [f("a", 5), f("b", 1), f("b", 90), f("b", 10), f("c", nil)]
        let top = ReportGatherer.top(all, perKind: 2, total: 10)
        #expect(top.map(\.detail) == ["b 90", "b 10", "a 5", "c -1"])
        #expect(ReportGatherer.top(all, perKind: 5, total: 2).count == 2)
        #expect(ReportGatherer.overlaps(f("c", nil), Span(0, 1)))
        #expect(!ReportGatherer.overlaps(f("a", 5), Span(0, Self.t0)))
        #expect(ReportGatherer.overlaps(f("a", 5), Span(Self.t0 + 4 * Self.minute, Self.t0 + Self.hour)))
    }

    @Test func tallyCountsMostFrequentFirst() {
        #expect(ReportGatherer.tally(["1.6", "2.0.1", "1.6", "2.1", "1.6", "2.0.1"])
                == [LabelledCount("1.6", 3), LabelledCount("2.0.1", 2), LabelledCount("2.1", 1)])
    }

    @Test func manyLabelsBecomeTheLargestAndOneBarOfOthers() {
        let counts = (1...20).map { LabelledCount("fw \($0)", 21 - $0) }
        let c = ReportGatherer.capped(counts, limit: 5)
        #expect(c.map(\.label) == ["fw 1", "fw 2", "fw 3", "fw 4", "16 others"])
        #expect(c.reduce(0) { $0 + $1.count } == counts.reduce(0) { $0 + $1.count })
        #expect(ReportGatherer.capped(Array(counts.prefix(5)), limit: 5) == Array(counts.prefix(5)))
    }

    @Test func aLongSessionTableKeepsTheFlaggedSessionsInStartOrder() {
        var sessions: [SessionRow] = []
        for i in 0..<10 {
            var s = Self.session(Self.m(Int64(i)), 100)
            s.sessionNo = i
            if i % 3 == 0 { s.flags = ["missing_stop"] }            // 0, 3, 6, 9
            sessions.append(s)
        }
        let (all, none) = ReportGatherer.sessionsToList(sessions, limit: 10)
        #expect(all.count == 10 && none == 0)
        let (six, left) = ReportGatherer.sessionsToList(sessions, limit: 6)
        #expect(six.map(\.sessionNo) == [0, 1, 2, 3, 6, 9])
        #expect(left == 4)
        let (three, _) = ReportGatherer.sessionsToList(sessions, limit: 3)
        #expect(three.map(\.sessionNo) == [0, 3, 6])
    }

    @Test func numbersAreGroupedWithFixedDecimals() {
        #expect(HTML.number(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(HTML.number(98.125139, decimals: 1) == "98.1")
        #expect(HTML.number(999) == "999")
        #expect(HTML.number(-1_500.0) == "-1,500")
        #expect(HTML.number(-0.001, decimals: 1) == "0.0")
        #expect(HTML.duration(minutes: 0) == "0")
        #expect(HTML.duration(minutes: 17.6) == "17.6 min")
    }
}
