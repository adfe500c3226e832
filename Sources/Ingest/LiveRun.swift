import Capture
import Foundation
import Frames
import OCPP
import Store

/// A live capture into the store: one source (`kind` live) committed every
/// few seconds, so that other processes can query while it runs.
public final class LiveRun: @unchecked Sendable {
    public let capture: LiveCapture
    private let store: Store
    private let commitInterval: Double
    private let captureOptions: CaptureOptions
    /// For `--db postgresql://`: `store` is then a private staging file, and
    /// each commit is carried into PostgreSQL.
    private let mirror: PostgresLiveMirror?

    /// `capture` already open: the command opens it before the database,
    /// so that a wrong interface or filter leaves no new database behind.
    public init(store: Store, capture: LiveCapture, commitSeconds: Double = 2, captureOptions: CaptureOptions = CaptureOptions(),
                mirror: PostgresLiveMirror? = nil) {
        self.store = store
        self.mirror = mirror
        self.commitInterval = commitSeconds
        self.captureOptions = captureOptions
        self.capture = capture
    }

    /// Stops the capture from any thread (a signal handler's queue).
    public func stop() { capture.stop() }

    /// Runs until `stop()`. `onCommit` is told the running counts after each
    /// commit, `onMirrorFailure` when PostgreSQL could not take a commit (the
    /// capture goes on, and the next commit carries it). Returns the final
    /// summary; the history of the charge points seen is rebuilt at the end.
    public func run(onCommit: (SourceSummary, Int64) -> Void = { _, _ in },
                    onMirrorFailure: (Error) -> Void = { _ in }) throws -> (SourceSummary, Int64, [String: Int]) {
        let started = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let source = SourceDescription(kind: "live", path: capture.options.interface, size: 0,
                                       digest: "live:\(capture.options.interface):\(started):\(getpid())",
                                       linkType: capture.linkType.name, toolVersion: Ingester.toolVersion)
        let writer = try SourceWriter(store: store, source: source, ingestedAt: started)
        let messages = MessageDecoder(sink: writer)
        let decoder = CaptureDecoder(sink: messages, options: captureOptions)
        var lastCommit = Date()
        var packets: Int64 = 0
        var commitError: Error?
        do {
            packets = try capture.run(packet: { data, wire, time, number in
                decoder.process(data, wireLength: wire, time: time, number: number, linkType: capture.linkType)
            }, tick: {
                guard commitError == nil, Date().timeIntervalSince(lastCommit) >= commitInterval else { return }
                lastCommit = Date()
                do {
                    try writer.checkpoint(packets: decoder.stats.packets)
                    onCommit(writer.summary, decoder.stats.packets)
                    do { try mirror?.sync() } catch { onMirrorFailure(error) }
                } catch {
                    commitError = error
                    capture.stop()
                }
            })
        } catch {
            commitError = commitError ?? error
        }
        decoder.finish()
        let dropped = capture.droppedByKernel ?? 0
        let summary = try writer.finish(SourceEnd(state: commitError == nil ? "complete" : "failed",
                                                  detail: commitError.map { "\($0)" } ?? (dropped > 0 ? "\(dropped) packets dropped by the kernel" : nil),
                                                  packets: packets))
        if let commitError { throw commitError }
        if let mirror {
            try mirror.finish()
            let history = try PostgresLoad.rebuild(mirror.chargePoints.sorted(), in: mirror.pg)
            return (summary, packets, history)
        }
        let history = try HistoryBuilder.rebuild(store: store, chargePoints: store.chargePoints(ofSources: [summary.sourceId]))
        return (summary, packets, history)
    }
}
