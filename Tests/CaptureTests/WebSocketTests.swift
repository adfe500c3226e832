import Testing
@testable import Capture

@Suite("WebSocket framing")
struct WebSocketTests {
    let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

    @Test func maskedClientFramesAreUnmasked() {
        let p = StreamProbe(expectMask: true)
        p.feed(TestFrames.text(#"[2,"1","Heartbeat",{}]"#, mask: mask))
        #expect(p.messages == [#"[2,"1","Heartbeat",{}]"#])
        #expect(p.issues.isEmpty)
    }

    @Test func theRFCExampleHello() {
        // RFC 6455 §5.7: a masked "Hello".
        let p = StreamProbe(expectMask: true)
        p.feed([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(p.messages == ["Hello"])
    }

    @Test func sixteenAndSixtyFourBitLengths() {
        let medium = "[3,\"m\",{\"d\":\"" + String(repeating: "x", count: 300) + "\"}]"
        let large = "[3,\"l\",{\"d\":\"" + String(repeating: "y", count: 70_000) + "\"}]"
        let p = StreamProbe(expectMask: false)
        let bytes = TestFrames.text(medium) + TestFrames.text(large)
        #expect(bytes[1] == 126)
        // Byte by byte: the parser must wait for whole frames.
        for chunk in stride(from: 0, to: bytes.count, by: 977) {
            p.feed(Array(bytes[chunk..<min(bytes.count, chunk + 977)]))
        }
        #expect(p.messages == [medium, large])
    }

    @Test func fragmentedMessageWithInterleavedPing() {
        let p = StreamProbe(expectMask: true)
        var bytes = TestFrames.frame(Array(#"[2,"7","Sta"#.utf8), opcode: 1, fin: false, mask: mask)
        bytes += TestFrames.frame(Array("ping".utf8), opcode: 9, mask: mask)
        bytes += TestFrames.frame(Array(#"tusNotification",{"#.utf8), opcode: 0, fin: false, mask: mask)
        bytes += TestFrames.frame(Array(#""connectorId":1}]"#.utf8), opcode: 0, fin: true, mask: mask)
        p.feed(bytes)
        #expect(p.messages == [#"[2,"7","StatusNotification",{"connectorId":1}]"#])
        #expect(p.pings == 1)
    }

    @Test func closeFrameKeepsCodeAndReason() {
        let p = StreamProbe(expectMask: false)
        p.feed(TestFrames.frame([0x03, 0xE9] + Array("going away".utf8), opcode: 8))
        #expect(p.closes.count == 1)
        #expect(p.closes.first?.0 == 1001)
        #expect(p.closes.first?.1 == "going away")
    }

    @Test func aFrameWithTheWrongMaskIsReportedAndSkipped() {
        let p = StreamProbe(expectMask: true)
        p.feed(TestFrames.text(#"[2,"a","Heartbeat",{}]"#) + TestFrames.text(#"[2,"b","Heartbeat",{}]"#, mask: mask))
        #expect(p.issues.first == "bad-frame-header")
        #expect(p.messages == [#"[2,"b","Heartbeat",{}]"#])
    }

    @Test func afterAHoleTheNextFrameBoundaryIsFound() {
        let p = StreamProbe(expectMask: false)
        let first = TestFrames.text(#"[3,"1",{"status":"Accepted"}]"#)
        let second = TestFrames.text(#"[3,"2",{}]"#)
        let third = TestFrames.text(#"[3,"3",{}]"#)
        p.feed(Array(first.prefix(10)))       // the rest of `first` is lost
        p.hole(Int64(first.count - 10 + 5))   // …and the start of a frame we never see
        p.feed(Array("xxxxx".utf8) + second + third)
        #expect(p.messages == [#"[3,"2",{}]"#, #"[3,"3",{}]"#])
        #expect(p.issues.contains("message-lost-in-hole"))
        #expect(p.issues.contains("resynchronised"))
    }

    @Test func anOverlongFrameIsSkippedNotBuffered() {
        let p = StreamProbe(expectMask: false, max: 1000)
        let big = TestFrames.text("[" + String(repeating: "1,", count: 1000) + "1]")
        p.feed(Array(big.prefix(600)))
        #expect(p.issues == ["frame-too-large"])
        #expect(p.queue.count == 0)
        p.feed(Array(big.dropFirst(600)) + TestFrames.text(#"[3,"ok",{}]"#))
        #expect(p.messages == [#"[3,"ok",{}]"#])
    }
}

@Suite("permessage-deflate")
struct DeflateTests {
    let messages = [
        #"[2,"1","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"AC22"}]"#,
        #"[2,"2","StatusNotification",{"connectorId":1,"status":"Available","errorCode":"NoError"}]"#,
        #"[2,"3","StatusNotification",{"connectorId":2,"status":"Available","errorCode":"NoError"}]"#,
    ]

    @Test func contextTakeoverAcrossMessages() {
        let d = TestDeflater()
        let p = StreamProbe(expectMask: true, deflate: true)
        for m in messages { p.feed(TestFrames.frame(d.compress(m), rsv1: true, mask: [1, 2, 3, 4])) }
        #expect(p.messages == messages)
        #expect(p.issues.isEmpty)
    }

    /// A compressed message in three masked fragments with a ping between,
    /// then a whole one, arriving a few bytes at a time: the fragments are
    /// joined before inflating, the whole one is read where it lies.
    @Test func fragmentedCompressedMessagesBetweenWholeOnes() {
        let d = TestDeflater()
        let p = StreamProbe(expectMask: true, deflate: true)
        let first = d.compress(messages[0])
        let cut1 = first.count / 3, cut2 = 2 * first.count / 3
        var bytes = TestFrames.frame(Array(first[..<cut1]), opcode: 1, fin: false, rsv1: true, mask: [9, 8, 7, 6])
        bytes += TestFrames.frame(Array("hi".utf8), opcode: 9, mask: [1, 1, 1, 1])
        bytes += TestFrames.frame(Array(first[cut1..<cut2]), opcode: 0, fin: false, mask: [5, 4, 3, 2])
        bytes += TestFrames.frame(Array(first[cut2...]), opcode: 0, fin: true, mask: [0xFF, 0, 0xFF, 0])
        bytes += TestFrames.frame(d.compress(messages[1]), rsv1: true, mask: [1, 2, 3, 4])
        bytes += TestFrames.frame(d.compress(messages[2]), rsv1: true, mask: [4, 3, 2, 1])
        var i = 0
        while i < bytes.count {
            let n = min(7, bytes.count - i)
            p.feed(Array(bytes[i..<(i + n)]))
            i += n
        }
        #expect(p.messages == messages)
        #expect(p.pings == 1)
        #expect(p.issues.isEmpty)
    }

    @Test func noContextTakeover() {
        let d = TestDeflater(noContextTakeover: true)
        let p = StreamProbe(expectMask: false, deflate: true, noContextTakeover: true)
        for m in messages { p.feed(TestFrames.frame(d.compress(m), rsv1: true)) }
        #expect(p.messages == messages)
    }

    @Test func aSmallWindowIsInflatedToo() {
        let d = TestDeflater(windowBits: 9)
        let p = StreamProbe(expectMask: false, deflate: true)
        for m in messages { p.feed(TestFrames.frame(d.compress(m), rsv1: true)) }
        #expect(p.messages == messages)
    }

    @Test func aMessageThatRefersToMissingHistoryIsAnIssueNotGarbage() {
        let d = TestDeflater()
        let first = d.compress(messages[1])
        let second = d.compress(messages[2])   // refers back into `first`
        let p = StreamProbe(expectMask: false, deflate: true)
        p.feed(TestFrames.frame(second, rsv1: true))   // `first` was never seen
        #expect(p.messages.isEmpty)
        #expect(p.issues == ["missing-history"])
        _ = first
    }

    /// The inflater writes into a buffer of its own that starts at 16 KiB
    /// and doubles: messages around every doubling, one exactly at the limit
    /// (kept) and one a byte past it (refused), and small ones after a big
    /// one (the buffer shrinks back), all come out whole.
    @Test func messagesOfEverySizeInflateWholeUpToTheLimitExactly() {
        func message(_ n: Int) -> String {
            // Letters from a small generator, so that zlib cannot shrink it to nothing.
            var rng = UInt64(n)
            var bytes = Array("[2,\"".utf8)
            while bytes.count < n - 2 {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(ascii: "a") + UInt8((rng >> 33) % 26))
            }
            return String(decoding: bytes + Array("\"]".utf8), as: UTF8.self)
        }
        let limit = 300_000
        let sizes = [10, 16_383, 16_384, 16_385, 40_000, 65_536, 131_073, 299_999, limit, 5_000, limit + 1, 77]
        let d = TestDeflater(noContextTakeover: true)
        let p = StreamProbe(expectMask: false, deflate: true, noContextTakeover: true, max: limit)
        var expected: [String] = []
        for n in sizes {
            let m = message(n)
            #expect(m.utf8.count == n)
            if n <= limit { expected.append(m) }
            p.feed(TestFrames.frame(d.compress(m), rsv1: true))
        }
        #expect(p.messages.count == expected.count)
        #expect(p.messages == expected)
        #expect(p.issues == ["inflate-limit"])
    }

    @Test func aDecompressionBombStopsAtTheLimit() {
        let d = TestDeflater()
        let bomb = d.compress("[" + String(repeating: "0,", count: 500_000) + "0]")
        #expect(bomb.count < 5_000)
        let p = StreamProbe(expectMask: false, deflate: true, max: 100_000)
        p.feed(TestFrames.frame(bomb, rsv1: true))
        #expect(p.messages.isEmpty)
        #expect(p.issues == ["inflate-limit"])
    }
}
