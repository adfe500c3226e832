import Foundation
import Frames
import LogStream
import OCPP
import Store

/// Reads one log through the decoding stack into a message sink: the log
/// path beside `CaptureRun`, sharing everything right of the frames.
public enum LogRun {
    /// Decodes every message of `reader` into `sink`. A read error or a gzip
    /// stream cut short is recorded as a `log` decode issue and ends the read;
    /// what was decoded before stays. `onIdle` runs when a followed file has
    /// nothing new (to commit).
    public static func run(_ reader: LogReader, into sink: MessageSink, redactor: Redactor? = nil, validate: Bool = false, progress: ProgressReport? = nil,
                           onIdle: ((_ lines: Int64) -> Void)? = nil) -> (SourceEndInfo, LogStats, Int) {
        let messages = MessageDecoder(sink: sink)
        messages.redactor = redactor
        messages.validate = validate
        // OCPP-J decoding and what follows on a second thread, as for captures
        // (FrameThread); `onIdle` runs once that thread has caught up, so it
        // may use the sink (commit, flush) as if there were one thread.
        let frames = FrameThread(target: messages)
        defer { frames.finish() }
        var lastReport = DispatchTime.now().uptimeNanoseconds
        do {
            let (end, stats) = try reader.run(into: frames, progress: progress.map { p in { done, total in
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastReport > 200_000_000 { lastReport = now; p(done, total) }
            } }, onIdle: {
                frames.sync()
                onIdle?(reader.bytesConsumed)
            })
            frames.finish()
            let covers = stats.firstTime.flatMap { f in stats.lastTime.map { (from: f, to: $0) } }
            return (SourceEndInfo(state: end.state, detail: end.detail, packets: end.lines, covers: covers), stats, messages.secretsMasked)
        } catch {
            frames.issue(DecodeIssue(layer: .log, reason: "read-error", detail: "\(error)", time: nil, frame: 0))
            frames.finish()
            return (SourceEndInfo(state: "failed", detail: "\(error)", packets: 0), LogStats(), messages.secretsMasked)
        }
    }

    /// The `sources.kind` of a log.
    public static func kind(_ reader: LogReader) -> String { reader.compressed ? "log.gz" : "log" }
}

extension Ingester {
    /// Ingests a log file (plain or gzip): detected by content, skipped when
    /// its SHA-256 is already in the database, one source in one transaction.
    public func ingestLog(path: String, progress: ProgressReport? = nil) -> InputOutcome {
        let reader: LogReader
        do {
            reader = try LogReader(path: path, options: logOptions)
            try reader.prepare()
        } catch {
            if case .notALog(_, let why) = error {
                return .failed("\(path): not a pcap or pcapng capture, nor a log with OCPP-J messages: \(why)")
            }
            return .failed(error.description)
        }
        let digest: Digest
        switch digestOrOutcome(path, size: reader.size) {
        case .success(let d): digest = d
        case .failure(let early): return early.outcome
        }
        return write(reader, digest: digest, size: reader.size, progress: progress, commitEvery: nil)
    }

    /// Ingests a log read from a descriptor (standard input). A stream cannot
    /// be hashed before it is read, so its source gets a name of its own
    /// (`stream:-:<start>:<pid>`) and the same stream piped in twice is
    /// stored twice.
    public func ingestLog(descriptor: Int32, name: String = "-") -> InputOutcome {
        let reader: LogReader
        do {
            reader = try LogReader(descriptor: descriptor, name: name, options: logOptions)
            try reader.prepare()
        } catch {
            return .failed(error.description)
        }
        let started = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return write(reader, digest: .known("stream:\(name):\(started):\(getpid())"), size: 0, progress: nil, commitEvery: nil)
    }

    /// Follows a growing log (`tail -F`) until Ctrl-C or SIGTERM (see
    /// `StopSignal`), committing what was read every `commitSeconds` of
    /// quiet, so that queries see it while it runs, and once more at the end.
    /// With a `mirror`, the store is its staging file and each commit is
    /// carried into PostgreSQL (a failed one is told to `onMirrorFailure` and
    /// sent again with the next).
    public func followLog(path: String, commitSeconds: Double = 2, mirror: PostgresLiveMirror? = nil,
                          onMirrorFailure: @escaping (Error) -> Void = { _ in },
                          onCommit: ((SourceSummary) -> Void)? = nil) -> InputOutcome {
        let reader: LogReader
        do {
            reader = try LogReader(path: path, options: logOptions, follow: true)
            try reader.prepare()
        } catch {
            return .failed(error.description)
        }
        let started = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return write(reader, digest: .known("follow:\(path):\(started):\(getpid())"), size: reader.size, progress: nil,
                     commitEvery: commitSeconds, mirror: mirror, onMirrorFailure: onMirrorFailure, onCommit: onCommit)
    }

    private func write(_ reader: LogReader, digest: Digest, size: Int64, progress: ProgressReport?, commitEvery: Double?,
                       mirror: PostgresLiveMirror? = nil, onMirrorFailure: @escaping (Error) -> Void = { _ in },
                       onCommit: ((SourceSummary) -> Void)? = nil) -> InputOutcome {
        lastInputWasLog = true
        let description = SourceDescription(kind: LogRun.kind(reader), path: reader.name, size: size, digest: digest.stored,
                                            linkType: nil, toolVersion: Ingester.toolVersion)
        let writer: SourceWriter
        do {
            writer = try SourceWriter(store: store, source: description, ingestedAt: Int64(Date().timeIntervalSince1970 * 1_000_000),
                                      bulkLoad: commitEvery == nil)
        } catch {
            return .failed("cannot write to the database: \(error)")
        }
        // Not for a followed log: its readers follow its commits.
        writer.leavesIndexesPending = indexesBesideHistory && commitEvery == nil
        gatherHistory(into: writer)
        digest.arrange(writer)
        var lastCommit = Date()
        var commitError: Error?
        // SQLite writes on a second thread while this one decodes (SinkThread),
        // except when following a log: its commits need the writer here.
        let threaded = commitEvery == nil ? SinkThread(target: writer) : nil
        let (end, stats, _) = LogRun.run(reader, into: threaded ?? writer, redactor: redactor, validate: validate, progress: progress, onIdle: { _ in
            guard let every = commitEvery, commitError == nil, Date().timeIntervalSince(lastCommit) >= every else { return }
            lastCommit = Date()
            do {
                try writer.checkpoint(packets: 0)
                onCommit?(writer.summary)
            } catch {
                commitError = error
                return
            }
            do { try mirror?.sync() } catch { onMirrorFailure(error) }
        })
        threaded?.finish()
        PhaseClock.mark("decode+insert")
        // Before the indexes are built (FreedMemory).
        FreedMemory.release()
        if let commitError {
            writer.abort()
            stopGathering()
            return .failed("cannot write to the database: \(commitError)")
        }
        var detail = end.detail
        let notes = LogRun.notes(stats)
        if !notes.isEmpty { detail = ([detail].compactMap { $0 } + [notes]).joined(separator: "; ") }
        let outcome = finish(writer, SourceEnd(state: end.state, detail: detail, packets: end.packets, covers: end.covers),
                             info: SourceEndInfo(state: end.state, detail: detail, packets: end.packets, covers: end.covers))
        guard case .ingested = outcome, let mirror else { return outcome }
        do { try mirror.finish() } catch { return .failed("\(error)") }
        return outcome
    }
}

extension LogRun {
    /// What a log read counted besides messages and issues, in words (kept
    /// in the source's `end_detail`).
    public static func notes(_ s: LogStats) -> String {
        var parts: [String] = []
        if let f = s.format { parts.append("format \(f.rawValue)") }
        if s.duplicates > 0 { parts.append("\(s.duplicates) repeated messages dropped") }
        if s.directionGuessed > 0 { parts.append("\(s.directionGuessed) directions assumed") }
        if s.inheritedTimes > 0 { parts.append("\(s.inheritedTimes) times inherited") }
        if s.rotations > 0 { parts.append("\(s.rotations) rotations") }
        if s.truncations > 0 { parts.append("\(s.truncations) truncations") }
        return parts.joined(separator: ", ")
    }
}
