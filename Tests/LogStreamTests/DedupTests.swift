import Foundation
import Frames
import LogStream
import Testing

/// The same message logged twice is stored once; a real resend is not a repeat.
@Suite("Repeated messages")
struct DedupTests {
    @Test func theSameMessageFromTwoComponentsIsKeptOnce() throws {
        let log = """
        2023-04-15 12:00:00.100 proxy CP_1 -> [2,"1","Heartbeat",{}]
        2023-04-15 12:00:00.180 csms  CP_1 <- [2,"1","Heartbeat",{}]
        2023-04-15 12:00:00.200 csms  CP_1 -> [3,"1",{"currentTime":"2023-04-15T12:00:00Z"}]
        2023-04-15 12:00:00.250 proxy CP_1 <- [3,"1",{"currentTime":"2023-04-15T12:00:00Z"}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log)
        #expect(sink.frames.count == 2)
        #expect(stats.duplicates == 2)
        // The first sighting is kept, with its time and line.
        #expect(sink.frames[0].time == LogFixture.time("2023-04-15T12:00:00.100Z"))
        #expect(sink.frames.map(\.frame) == [1, 3])
    }

    @Test func repeatsOutsideTheWindowOrOfOtherChargersStay() throws {
        let log = """
        2023-04-15 12:00:00 CP_1 send [2,"1","Heartbeat",{}]
        2023-04-15 12:00:00 CP_2 send [2,"1","Heartbeat",{}]
        2023-04-15 12:10:00 CP_1 send [2,"1","Heartbeat",{}]
        2023-04-15 12:10:00 CP_1 send [2,"1","Heartbeat",{"x":1}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log)
        #expect(sink.frames.count == 4)
        #expect(stats.duplicates == 0)
    }

    @Test func textsOfOneLengthThatDifferAreNoRepeats() throws {
        // Only a fingerprint of each text is kept: texts of one length must still be told apart.
        let log = """
        2023-04-15 12:00:00.100 CP_1 send [2,"1","DataTransfer",{"vendorId":"abcdefgh1"}]
        2023-04-15 12:00:00.200 CP_1 send [2,"1","DataTransfer",{"vendorId":"abcdefgh2"}]
        2023-04-15 12:00:00.300 CP_1 send [2,"1","DataTransfer",{"vendorId":"bbcdefgh1"}]
        2023-04-15 12:00:00.400 CP_1 send [2,"1","DataTransfer",{"vendorId":"abcdefgh1"}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log)
        #expect(sink.frames.count == 3)
        #expect(stats.duplicates == 1)
    }

    @Test func theCorpusLibraryLogHoldsEveryMessageTwice() throws {
        let (sink, _) = try LogFixture.decode(FormatTests.libraryLog)
        #expect(sink.messages.count == 7)
        #expect(sink.messages.map(\.message.type.name) == ["CALL", "CALL", "CALLRESULT", "CALLRESULT", "CALLERROR", "CALL", "CALLRESULT"])
        // The Boot answers are correlated with their CALLs; repeats did not become unanswered calls.
        #expect(sink.messages.filter { $0.message.type == .callResult }.allSatisfy { $0.request != nil })
        #expect(sink.issues.isEmpty)
    }
}
