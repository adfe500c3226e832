import CZlib
import Foundation
import Frames
@testable import LogStream
import Testing

/// Reading: line ends, bad bytes, long lines, gzip, pipes, pretty-printed messages.
@Suite("Log input")
struct InputTests {
    static let twoLines = """
    2023-04-15 12:00:00 CP_1 send [2,"1","Heartbeat",{}]
    2023-04-15 12:00:01 CP_1 recv [3,"1",{"currentTime":"2023-04-15T12:00:01Z"}]

    """

    @Test func crlfAndLfAndNoFinalNewline() throws {
        let crlf = InputTests.twoLines.replacingOccurrences(of: "\n", with: "\r\n")
        let (a, _, _, _) = try LogFixture.read(crlf)
        #expect(a.texts == [#"[2,"1","Heartbeat",{}]"#, #"[3,"1",{"currentTime":"2023-04-15T12:00:01Z"}]"#])
        let (b, _, _, _) = try LogFixture.read(String(InputTests.twoLines.dropLast()))
        #expect(b.texts == a.texts)
    }

    @Test func invalidUTF8IsRecordedAndTheMessageKept() throws {
        var bytes = Array("2023-04-15 12:00:00 CP_1 send [2,\"1\",\"DataTransfer\",{\"vendorId\":\"".utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array("\"}]\n".utf8)
        bytes += Array(InputTests.twoLines.utf8)
        let path = try LogFixture.write(bytes: bytes, name: "bad.log")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (sink, stats, _, _) = try LogFixture.read(path: path)
        #expect(sink.frames.count == 3)
        #expect(stats.invalidUTF8 == 1)
        let issue = try #require(sink.issues.first { $0.reason == "invalid-utf8" })
        #expect(issue.layer == .log && issue.frame == 1)
        #expect(sink.texts[0].contains("\u{FFFD}"))
    }

    @Test func anOverlongLineIsAnIssueNotUnboundedMemory() throws {
        var text = "2023-04-15 12:00:00 CP_1 send [2,\"1\",\"DataTransfer\",{\"data\":\"" + String(repeating: "x", count: 300_000) + "\"}]\n"
        text += InputTests.twoLines
        var opts = LogFixture.options()
        opts.maxLineLength = 100_000
        opts.format = .generic
        let (sink, stats, _, _) = try LogFixture.read(text, opts)
        #expect(stats.overlongLines == 1)
        let issue = try #require(sink.issues.first { $0.reason == "line-too-long" })
        #expect(issue.frame == 1)
        #expect(issue.raw?.count == DecodeIssue.rawLimit)
        #expect(sink.frames.map(\.frame) == [2, 3])
    }

    @Test func lineReaderSplitsAcrossChunkBoundaries() throws {
        // Lines of every length around the 1 MiB read size.
        var expected: [Int] = []
        var text = ""
        for n in [10, 1 << 20 - 3, 5, (1 << 20) + 7, 0, 3] {
            expected.append(n)
            text += String(repeating: "a", count: n) + "\n"
        }
        let path = try LogFixture.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = LineReader(source: try FileDescriptorSource(path: path))
        var got: [Int] = []
        loop: while true {
            switch reader.next() {
            case .line(let b, _): got.append(b.count)
            case .end: break loop
            default: Issue.record("unexpected event"); break loop
            }
        }
        #expect(got == expected)
    }

    @Test func gzipIsReadAsAStream() throws {
        let plain = String(repeating: InputTests.twoLines, count: 2000).replacingOccurrences(of: "\"1\"", with: "\"x\"")
        // Two gzip members back to back, as `cat a.gz b.gz` makes.
        let gz = InputTests.gzip(Array(plain.utf8)) + InputTests.gzip(Array(InputTests.twoLines.utf8))
        let path = try LogFixture.write(bytes: gz, name: "log.gz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LogReader(path: path, options: LogFixture.options { $0.duplicateWindow = 0 })
        #expect(reader.compressed)
        let sink = FrameCollector()
        let (end, stats) = try reader.run(into: sink)
        #expect(end.state == "complete")
        #expect(stats.lines == 4002)
        #expect(sink.frames.count == 4002)
        // A stream cut short keeps what came before and says so.
        let cut = Array(gz.prefix(gz.count / 3))
        let cutPath = try LogFixture.write(bytes: cut, name: "cut.gz")
        defer { try? FileManager.default.removeItem(atPath: cutPath) }
        let (cutSink, _, cutEnd, _) = try LogFixture.read(path: cutPath, LogFixture.options { $0.duplicateWindow = 0 })
        #expect(cutEnd.state == "truncated")
        #expect(cutSink.frames.count > 0)
        #expect(cutSink.issues.contains { $0.reason == "truncated-file" })
    }

    @Test func readsFromAPipeLikeStandardInput() throws {
        let pipe = Pipe()
        let data = Data(FormatTests.libraryLog.utf8)
        // Written from another thread: a pipe holds 64 KiB, the reader drains it.
        let writer = pipe.fileHandleForWriting
        let t = Thread { writer.write(data); try? writer.close() }
        t.start()
        let reader = try LogReader(descriptor: pipe.fileHandleForReading.fileDescriptor, options: LogFixture.options())
        let sink = FrameCollector()
        let (end, _) = try reader.run(into: sink)
        #expect(end.state == "complete")
        #expect(reader.format == .pythonOCPP)
        #expect(sink.frames.count == 7)
    }

    @Test func prettyPrintedGenericMessages() throws {
        let log = """
        2023-04-15 12:00:00 CP_1 send
        [
          2,
          "1",
          "BootNotification",
          {"chargePointVendor": "V", "chargePointModel": "M"}
        ]
        2023-04-15 12:00:01 CP_1 recv [3, "1",
            {"status": "Accepted", "currentTime": "2023-04-15T12:00:01Z", "interval": 300}]
        2023-04-15 12:00:02 CP_1 send [2,"2","Heartbeat",{
        2023-04-15 12:00:03 CP_1 send [2,"3","Heartbeat",{}]
        """
        let (sink, stats, _, format) = try LogFixture.read(log)
        #expect(format == .generic)
        #expect(sink.frames.map(\.frame) == [1, 8, 11])
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS])
        #expect(sink.texts[1].hasSuffix("\"interval\": 300}]"))
        #expect(stats.incomplete == 1)
        let cut = try #require(sink.issues.first { $0.reason == "incomplete-message" })
        #expect(cut.frame == 10)
    }

    @Test func somethingThatIsNoLogIsRefused() throws {
        let path = try LogFixture.write("hello\nworld\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LogReader(path: path, options: LogFixture.options())
        #expect(throws: LogInputError.self) { try reader.prepare() }
    }

    @Test func linesThatLookLikeOCPPButDoNotParseAreIssues() throws {
        let log = """
        2026-11-25 14:43:07,945 INFO ocpp CP0001: send [2,"b1","Heartbeat",{}]
        2026-11-25 14:43:07,946 INFO ocpp CP0001 sent something odd: [2,"b2","Heartbeat",{}]
        2026-11-25 14:43:07,947 INFO ocpp CP0001: receive message [3,"b1",{"currentTime":
        2026-11-25 14:43:07,948 INFO ocpp CP0001: receive message [3,"b1",{"currentTime":"x"}]
        """
        let (sink, _) = try LogFixture.decode(log)
        #expect(sink.messages.count == 2)
        #expect(sink.issues.map(\.reason).sorted() == ["incomplete-message", "unrecognised-line"])
        #expect(sink.issues.map(\.frame).sorted() == [2, 3])
    }

    /// gzip-compresses bytes with zlib (window bits 15 + 16: a gzip wrapper).
    /// The stream lives on the heap: zlib checks that it never moves.
    static func gzip(_ input: [UInt8]) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deinitialize(count: 1); stream.deallocate() }
        deflateInit2_(stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                stream.pointee.next_in = inp.baseAddress
                stream.pointee.avail_in = uInt(inp.count)
                stream.pointee.next_out = o.baseAddress
                stream.pointee.avail_out = uInt(o.count)
                deflate(stream, Z_FINISH)
                return o.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(out.prefix(produced))
    }
}
