import Foundation
import Frames
import LogStream
import Testing

/// `--follow`: a file written while it is read, rotated and truncated under
/// the reader, and a clean stop.
@Suite("Following a log")
struct FollowTests {
    /// What the reader thread saw, shared with the test.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var _texts: [String] = []
        private var _stop = false
        private var _done = false
        var end: LogEnd?
        var stats: LogStats?
        var error: String?
        func add(_ t: String) { lock.lock(); _texts.append(t); lock.unlock() }
        var texts: [String] { lock.lock(); defer { lock.unlock() }; return _texts }
        var stop: Bool { get { lock.lock(); defer { lock.unlock() }; return _stop } set { lock.lock(); _stop = newValue; lock.unlock() } }
        var done: Bool { get { lock.lock(); defer { lock.unlock() }; return _done } set { lock.lock(); _done = newValue; lock.unlock() } }
    }

    final class Sink: FrameSink {
        let shared: Shared
        init(_ s: Shared) { shared = s }
        func connectionOpened(_ c: ConnectionInfo) {}
        func connectionUpdated(_ c: ConnectionInfo) {}
        func frame(_ f: OCPPFrame) { shared.add(String(decoding: f.text, as: UTF8.self)) }
        func issue(_ i: DecodeIssue) {}
    }

    static func line(_ n: Int) -> String {
        "2023-04-15 12:00:\(String(format: "%02d", n % 60)) CP_1 send [2,\"m\(n)\",\"Heartbeat\",{}]\n"
    }

    static func append(_ s: String, to path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(s.utf8))
        try h.close()
    }

    /// Waits (at most a few seconds) until the reader has `n` messages.
    static func wait(_ shared: Shared, for n: Int) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if shared.texts.count >= n { return true }
            usleep(20_000)
        }
        return false
    }

    @Test(.timeLimit(.minutes(1)))
    func growthRotationTruncationAndStop() throws {
        let path = LogFixture.tempPath("follow.log")
        let rotated = path + ".1"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: rotated)
        }
        try (FollowTests.line(1) + FollowTests.line(2)).write(toFile: path, atomically: false, encoding: .utf8)
        let shared = Shared()
        let thread = Thread {
            do {
                var options = LogOptions()
                options.year = 2023
                let reader = try LogReader(path: path, options: options, follow: true, shouldStop: { shared.stop })
                let (end, stats) = try reader.run(into: Sink(shared))
                shared.end = end
                shared.stats = stats
            } catch {
                shared.error = "\(error)"
            }
            shared.done = true
        }
        thread.start()
        #expect(FollowTests.wait(shared, for: 2))
        // Growth.
        try FollowTests.append(FollowTests.line(3), to: path)
        #expect(FollowTests.wait(shared, for: 3))
        // Rotation: renamed away (with a last line written to it first), a new file in its place.
        try FollowTests.append(FollowTests.line(4), to: path)
        try FileManager.default.moveItem(atPath: path, toPath: rotated)
        try FollowTests.line(5).write(toFile: path, atomically: false, encoding: .utf8)
        #expect(FollowTests.wait(shared, for: 5))
        // Truncation in place (copytruncate), then new lines.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.truncate(atOffset: 0)
        try h.close()
        usleep(500_000)   // let the reader see the file shrink before it grows again
        try FollowTests.append(FollowTests.line(6), to: path)
        #expect(FollowTests.wait(shared, for: 6))
        shared.stop = true
        let deadline = Date().addingTimeInterval(10)
        while !shared.done && Date() < deadline { usleep(20_000) }
        #expect(shared.done)
        #expect(shared.error == nil)
        #expect(shared.texts == (1...6).map { "[2,\"m\($0)\",\"Heartbeat\",{}]" })
        #expect(shared.end?.state == "stopped")
        #expect(shared.stats?.rotations == 1)
        #expect(shared.stats?.truncations == 1)
    }
}
