import Testing
@testable import Capture

/// Feeds segments to a reassembler and records what comes out.
private struct Harness {
    var r = StreamReassembler()
    var out: [UInt8] = []
    var holes: [Int64] = []

    mutating func syn(_ isn: UInt32) { r.syn(seq: isn) }

    mutating func seg(_ seq: UInt32, _ text: String, claimed: Int? = nil, time: Int64 = 0) {
        let bytes = Array(text.utf8)
        var o = out, h = holes
        bytes.withUnsafeBytes { raw in
            r.accept(seq: seq, payload: raw, claimedLength: claimed ?? bytes.count, fin: false, time: time) { chunk in
                switch chunk {
                case .data(let d): o.append(contentsOf: d)
                case .hole(let n): h.append(n)
                }
            }
        }
        out = o
        holes = h
    }

    mutating func flush() {
        var o = out, h = holes
        r.flush { chunk in
            switch chunk {
            case .data(let d): o.append(contentsOf: d)
            case .hole(let n): h.append(n)
            }
        }
        out = o
        holes = h
    }

    var text: String { String(decoding: out, as: UTF8.self) }
}

@Suite("TCP reassembly")
struct StreamReassemblerTests {
    @Test func inOrderSegmentsPassStraightThrough() {
        var h = Harness()
        h.syn(1000)
        h.seg(1001, "hello ")
        h.seg(1007, "world")
        #expect(h.text == "hello world")
        #expect(h.holes.isEmpty)
    }

    @Test func outOfOrderSegmentsAreReordered() {
        var h = Harness()
        h.syn(0)
        h.seg(7, "world")      // arrives first
        #expect(h.text == "")
        h.seg(4, "lo ")
        #expect(h.text == "")
        h.seg(1, "hel")
        #expect(h.text == "hello world")
    }

    @Test func retransmissionsAreDeliveredOnce() {
        var h = Harness()
        h.syn(0)
        h.seg(1, "abc")
        h.seg(1, "abc")
        h.seg(4, "def")
        h.seg(1, "abcdef")
        #expect(h.text == "abcdef")
        #expect(h.r.retransmittedBytes == 9)
    }

    @Test func overlappingSegmentsAreTrimmed() {
        var h = Harness()
        h.syn(0)
        h.seg(1, "abcd")
        h.seg(3, "cdefg")   // overlaps two bytes
        h.seg(9, "ij")      // out of order
        h.seg(6, "fgh")     // overlaps the previous and fills the gap
        #expect(h.text == "abcdefghij")
    }

    @Test func aGapThatNeverFillsBecomesAHoleAtFlush() {
        var h = Harness()
        h.syn(0)
        h.seg(1, "abc")
        h.seg(10, "xyz")   // bytes 4..<10 never arrive
        #expect(h.text == "abc")
        h.flush()
        #expect(h.text == "abcxyz")
        #expect(h.holes == [6])
    }

    @Test func aGapIsGivenUpWhenTooOld() {
        var h = Harness()
        h.syn(0)
        h.seg(1, "abc", time: 0)
        h.seg(10, "xyz", time: 1_000_000)
        h.seg(13, "!", time: StreamReassembler.maxGapAge + 2_000_000)
        #expect(h.text == "abcxyz!")
        #expect(h.holes == [6])
    }

    @Test func bytesCutBySnapLengthAreAHoleAtOnce() {
        var h = Harness()
        h.syn(0)
        h.seg(1, "abc", claimed: 10)  // 7 bytes on the wire, not in the file
        h.seg(11, "next")
        #expect(h.text == "abcnext")
        #expect(h.holes == [7])
    }

    @Test func sequenceNumbersWrapAround() {
        var h = Harness()
        h.syn(UInt32.max - 2)
        h.seg(UInt32.max - 1, "ab")
        h.seg(0, "cd")           // wrapped
        h.seg(4, "gh")           // out of order after the wrap
        h.seg(2, "ef")
        #expect(h.text == "abcdefgh")
    }

    @Test func aStreamSeenMidwayStartsAtItsFirstByte() {
        var h = Harness()
        h.seg(5000, "mid")
        h.seg(5003, "way")
        #expect(h.text == "midway")
        #expect(h.r.startedMidStream)
    }
}
