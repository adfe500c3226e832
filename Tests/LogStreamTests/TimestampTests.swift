import Foundation
import Frames
@testable import LogStream
import Testing

@Suite("Log timestamps")
struct TimestampTests {
    func parse(_ s: String, _ parser: LogTimeParser = LogTimeParser(year: 2023)) -> Timestamp? {
        Array(s.utf8).withUnsafeBytes { parser.find($0)?.0 }
    }

    @Test func iso8601Forms() {
        #expect(parse("2023-04-15T12:31:39.123Z rest") == LogFixture.time("2023-04-15T12:31:39.123Z"))
        #expect(parse("2023-04-15 12:31:39,123 INFO") == LogFixture.time("2023-04-15T12:31:39.123Z"))
        #expect(parse("2023-04-15T12:31:39.123456+02:00") == LogFixture.time("2023-04-15T10:31:39.123456Z"))
        #expect(parse("2023-04-15T12:31:39-0500") == LogFixture.time("2023-04-15T17:31:39Z"))
        #expect(parse("[2023-04-15 12:31:39] x") == LogFixture.time("2023-04-15T12:31:39Z"))
        #expect(parse("2023/04/15 12:31:39 sent") == LogFixture.time("2023-04-15T12:31:39Z"))
        #expect(parse("2023-04-15 12:31:39 UTC") == LogFixture.time("2023-04-15T12:31:39Z"))
        #expect(parse("no time here [2,\"1\",\"Heartbeat\",{}]") == nil)
    }

    @Test func naiveTimesTakeTheZone() {
        let berlin = LogTimeParser(zone: TimeZoneRule("Europe/Berlin")!, year: 2023)
        #expect(parse("2023-01-15 12:00:00", berlin) == LogFixture.time("2023-01-15T11:00:00Z"))   // CET
        #expect(parse("2023-07-15 12:00:00", berlin) == LogFixture.time("2023-07-15T10:00:00Z"))   // CEST
        #expect(parse("2023-07-15 12:00:00Z", berlin) == LogFixture.time("2023-07-15T12:00:00Z"))  // a zone wins
        let fixed = LogTimeParser(zone: TimeZoneRule("-03:30")!, year: 2023)
        #expect(parse("2023-07-15 12:00:00", fixed) == LogFixture.time("2023-07-15T15:30:00Z"))
        #expect(TimeZoneRule("Mars/Olympus") == nil)
    }

    @Test func epochSecondsAndMilliseconds() {
        #expect(parse("1681561899 x") == Timestamp(microseconds: 1_681_561_899_000_000))
        #expect(parse("1681561899.25 x") == Timestamp(microseconds: 1_681_561_899_250_000))
        #expect(parse("1681561899123 x") == Timestamp(microseconds: 1_681_561_899_123_000))
        #expect(LogTimeParser.epoch(1681561899123) == Timestamp(microseconds: 1_681_561_899_123_000))
        // Ten digits inside a line are an id, not a time.
        #expect(parse("recv CP: [3,\"4080794022\",{}]") == nil)
    }

    /// A JSON line's time field is any number: one past Int64's range once
    /// trapped the conversion (found by the `logs` fuzz target).
    @Test func epochNumbersOutOfRangeAreNoTime() {
        #expect(LogTimeParser.epoch(1_681_561_899_123_456_789) == Timestamp(microseconds: 1_681_561_899_123_457))
        #expect(LogTimeParser.epoch(1e300) == nil)
        #expect(LogTimeParser.epoch(9.3e21) == nil)
        #expect(LogTimeParser.epoch(.infinity) == nil)
        #expect(LogTimeParser.epoch(.nan) == nil)
        #expect(LogTimeParser.epoch(-5) == nil)
        #expect(Timestamp(roundingMicroseconds: 9.3e18) == nil)
        #expect(Timestamp(roundingMicroseconds: -9.3e18) == nil)
        #expect(Timestamp(roundingMicroseconds: 2.5) == Timestamp(microseconds: 3))
        #expect(Timestamp(microseconds: .max - 1).adding(microseconds: 2) == nil)
    }

    @Test func syslogWithoutYear() {
        #expect(parse("Apr 15 12:31:39 host csms: x", LogTimeParser(year: 2021)) == LogFixture.time("2021-04-15T12:31:39Z"))
        #expect(parse("Jul  2 22:27:40 raspberrypi", LogTimeParser(year: 2023)) == LogFixture.time("2023-07-02T22:27:40Z"))
    }

    @Test func userTimeFormats() {
        func p(_ f: String, _ s: String) -> Timestamp? {
            Array(s.utf8).withUnsafeBytes { TimeFormat(f)!.parse($0, at: 0, zone: .utc, year: 2020)?.0 }
        }
        #expect(p("%d/%m/%Y %H:%M:%S", "15/04/2023 12:31:39") == LogFixture.time("2023-04-15T12:31:39Z"))
        #expect(p("%b %d %T.%f", "Apr 15 12:31:39.5") == LogFixture.time("2020-04-15T12:31:39.5Z"))
        #expect(p("%F %T %z", "2023-04-15 12:31:39 +0200") == LogFixture.time("2023-04-15T10:31:39Z"))
        #expect(p("%s", "1681561899") == Timestamp(microseconds: 1_681_561_899_000_000))
        #expect(TimeFormat("%Q") == nil)
    }

    @Test func linesWithoutTimeInheritAndAreFlagged() throws {
        let log = """
        2023-04-15 12:00:00 CP_1 send [2,"1","Heartbeat",{}]
        CP_1 recv [3,"1",{"currentTime":"2023-04-15T12:00:00Z"}]
        CP_1 send [2,"2","Heartbeat",{}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log, LogFixture.options { $0.format = .generic })
        #expect(sink.frames.count == 3)
        #expect(Set(sink.frames.map(\.time)) == [LogFixture.time("2023-04-15T12:00:00Z")])
        #expect(stats.inheritedTimes == 2)
        let flag = try #require(sink.issues.first { $0.reason == "no-timestamp" })
        #expect(flag.layer == .log)
        #expect(flag.frame == 2)
    }
}
