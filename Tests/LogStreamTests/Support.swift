import Foundation
import Frames
import LogStream
import OCPP

/// Collects what a log reader hands on.
final class FrameCollector: FrameSink {
    var frames: [OCPPFrame] = []
    var connections: [Int: ConnectionInfo] = [:]
    var issues: [DecodeIssue] = []
    func connectionOpened(_ c: ConnectionInfo) { connections[c.id] = c }
    func connectionUpdated(_ c: ConnectionInfo) { connections[c.id] = c }
    func frame(_ f: OCPPFrame) { frames.append(f) }
    func issue(_ i: DecodeIssue) { issues.append(i) }

    func identity(_ f: OCPPFrame) -> String { connections[f.connection]?.chargePoint ?? "?" }
    var texts: [String] { frames.map { String(decoding: $0.text, as: UTF8.self) } }
}

/// Collects decoded messages (through the OCPP message decoder, as ingest does).
final class MessageCollector: MessageSink {
    var messages: [DecodedMessage] = []
    var outcomes: [CallOutcome] = []
    var issues: [DecodeIssue] = []
    var connections: [Int: ConnectionInfo] = [:]
    func connectionOpened(_ c: ConnectionInfo) { connections[c.id] = c }
    func connectionUpdated(_ c: ConnectionInfo) { connections[c.id] = c }
    func message(_ m: DecodedMessage) { messages.append(m) }
    func outcome(_ o: CallOutcome) { outcomes.append(o) }
    func issue(_ i: DecodeIssue) { issues.append(i) }
}

enum LogFixture {
    static func options(_ body: (inout LogOptions) -> Void = { _ in }) -> LogOptions {
        var o = LogOptions()
        o.year = 2023
        body(&o)
        return o
    }

    static func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "ocppscope-logtest-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    static func write(_ text: String, name: String = "log.txt") throws -> String {
        let path = tempPath(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func write(bytes: [UInt8], name: String) throws -> String {
        let path = tempPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads a log file through the reader into a frame collector.
    static func read(_ text: String, _ options: LogOptions = LogFixture.options()) throws -> (FrameCollector, LogStats, LogEnd, LogFormat?) {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try read(path: path, options)
    }

    static func read(path: String, _ options: LogOptions = LogFixture.options()) throws -> (FrameCollector, LogStats, LogEnd, LogFormat?) {
        let reader = try LogReader(path: path, options: options)
        let sink = FrameCollector()
        let (end, stats) = try reader.run(into: sink)
        return (sink, stats, end, reader.format)
    }

    /// Reads a log through the message decoder too (correlation, types).
    static func decode(_ text: String, _ options: LogOptions = LogFixture.options()) throws -> (MessageCollector, LogStats) {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LogReader(path: path, options: options)
        let sink = MessageCollector()
        let (_, stats) = try reader.run(into: MessageDecoder(sink: sink))
        return (sink, stats)
    }

    static func time(_ s: String) -> Timestamp { Timestamp(iso8601: s)! }
}
