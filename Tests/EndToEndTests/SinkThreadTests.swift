import Frames
@testable import Ingest
import OCPP
import Testing

/// The writer thread passes every call on, in order, whatever the batching.
@Suite("Sink thread")
struct SinkThreadTests {
    final class Recorder: MessageSink {
        var calls: [String] = []
        func connectionOpened(_ c: ConnectionInfo) { calls.append("open") }
        func connectionUpdated(_ c: ConnectionInfo) { calls.append("update") }
        func message(_ m: DecodedMessage) { calls.append("message \(m.sequence)") }
        func outcome(_ o: CallOutcome) { calls.append("outcome") }
        func issue(_ i: DecodeIssue) { calls.append("issue \(i.frame)") }
        func keepAlive(_ k: KeepAlive) { calls.append("keepalive") }
    }

    @Test(arguments: [0, 1, SinkThread.batchSize - 1, SinkThread.batchSize, SinkThread.batchSize + 1,
                      SinkThread.batchSize * (SinkThread.inFlight + 2) + 7])
    func everyCallArrivesInOrder(count: Int) {
        let recorder = Recorder()
        let sink = SinkThread(target: recorder)
        var expected: [String] = []
        for n in 0..<count {
            sink.issue(DecodeIssue(layer: .json, reason: "r", detail: "d", time: nil, frame: Int64(n)))
            expected.append("issue \(n)")
        }
        sink.finish()
        #expect(recorder.calls == expected)
    }
}
