import Capture
import Foundation
import Frames
import OCPP
import Store
import Synth
import Testing

/// Chargers that reconnect often: what the decoding and the writer keep of
/// a connection goes when it ends, so that memory depends on the
/// connections open at once, and the database is the one written keeping
/// every connection to the source's end.
@Suite("End to end")
struct ConnectionChurnTests {
    /// Six charge points reset and reconnecting every five minutes on
    /// average for twelve hours, the capture started ten minutes in (so the
    /// first connections start without their handshake and learn identity
    /// and version at the end, from connections long gone by then).
    static func churnCapture() throws -> String {
        var c = FleetConfig()
        c.name = "churn-\(UUID().uuidString)"
        c.chargePoints = 6
        c.durationSeconds = 12 * 3600
        c.churnMeanSeconds = 300
        c.captureStartOffsetSeconds = 600
        c.truth = .none
        let dir = FileManager.default.temporaryDirectory.path
        return try FleetSimulator(config: c).run(outputDirectory: dir).capturePath!
    }

    struct Run {
        var summary: SourceSummary!
        var connections = 0
        var mostHeld = 0
        var mostDecoderHeld = 0
        var mostCorrelatorHeld = 0
        var decoderHeldAtEnd = 0
        var correlatorHeldAtEnd = 0
        var letGo = 0
    }

    /// Writes the capture as one source, as the ingest does but on one
    /// thread, noting after every packet how many connections are held.
    static func write(_ path: String, into store: Store, lettingGo: Bool) throws -> Run {
        let reader = try PcapFileReader(path: path)
        let source = SourceDescription(kind: "pcap", path: path, size: reader.fileSize, digest: "churn", linkType: reader.linkType.name,
                                       toolVersion: "test")
        let writer = try SourceWriter(store: store, source: source, ingestedAt: 1, bulkLoad: true)
        writer.letsGoOfEndedConnections = lettingGo
        let messages = MessageDecoder(sink: writer)
        let decoder = CaptureDecoder(sink: messages)
        var run = Run()
        var packets: Int64 = 0
        let end = reader.forEach { data, wire, time, number in
            packets = number
            decoder.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
            run.mostHeld = max(run.mostHeld, writer.connectionsHeld)
            run.mostDecoderHeld = max(run.mostDecoderHeld, messages.connectionsHeld)
            run.mostCorrelatorHeld = max(run.mostCorrelatorHeld, messages.correlatedConnectionsHeld)
        }
        #expect(end == .complete)
        decoder.finish()
        run.decoderHeldAtEnd = messages.connectionsHeld
        run.correlatorHeldAtEnd = messages.correlatedConnectionsHeld
        run.summary = try writer.finish(SourceEnd(state: "complete", detail: nil, packets: packets))
        run.letGo = writer.connectionsLetGo
        run.connections = run.summary.connections
        return run
    }

    @Test func endedConnectionsAreLetGoOfAndTheDatabaseIsTheSame() throws {
        let capture = try ConnectionChurnTests.churnCapture()
        defer { try? FileManager.default.removeItem(atPath: capture) }
        var runs: [Run] = []
        var dumps: [[String]] = []
        for lettingGo in [true, false] {
            let path = Fixture.tempPath(".sqlite")
            defer { Store.removeFiles(atPath: path) }
            let store = try Store(path: path)
            runs.append(try ConnectionChurnTests.write(capture, into: store, lettingGo: lettingGo))
            dumps.append(try Fixture.dump(store))
        }
        let (lean, whole) = (runs[0], runs[1])
        // Many connections came and went, a few open at once. The writer
        // holds those open and those ended with rows still in its batch
        // (each at least a BootNotification and its answer).
        #expect(lean.connections > 600)
        #expect(lean.letGo > 590)
        #expect(whole.mostHeld == whole.connections)
        #expect(lean.mostHeld * 4 < whole.mostHeld)
        #expect(lean.mostHeld <= 6 + SourceWriter.batchSize / 2)
        #expect(lean.mostDecoderHeld <= 20 && lean.mostCorrelatorHeld <= 20)
        #expect(lean.decoderHeldAtEnd == 0 && lean.correlatorHeldAtEnd == 0)
        // The same database and the same counts.
        #expect(dumps[0] == dumps[1])
        #expect(lean.summary.withoutHandshake == whole.summary.withoutHandshake && lean.summary.withoutHandshake > 0)
        #expect(lean.summary.bytesSeen == whole.summary.bytesSeen && lean.summary.bytesDecoded == whole.summary.bytesDecoded)
        #expect(lean.summary.holes == whole.summary.holes && lean.summary.holeBytes == whole.summary.holeBytes)
        #expect(lean.summary.identitiesLearned == whole.summary.identitiesLearned)
        #expect(lean.summary.versionsInferred == whole.summary.versionsInferred)
        // The connections seen mid-stream learned their identity from
        // connections of the same endpoint, all let go of by then.
        let learned = dumps[0].filter { $0.hasPrefix("connections:") && $0.contains("endpoint-pair") }.count
        #expect(learned > 0)
    }
}
