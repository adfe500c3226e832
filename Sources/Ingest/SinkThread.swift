import Foundation
import Frames
import OCPP

/// A message sink that passes every call, in order, to another sink running
/// on a thread of its own: decoding goes on while SQLite writes.
///
/// Why: in ingest, the store's share of the decoding pass (SourceWriter: its
/// bookkeeping and the inserts) was 1.38 G of 4.46 G instructions on a 20 MB
/// slice of the benchmark (callgrind), work that needs nothing back from the
/// decoder. The target sees exactly the calls it would have seen, in the
/// same order, so what it writes is the same. Calls travel in batches of
/// 512 with at most 64 batches in flight, so memory stays bounded. Why
/// those sizes: with 4 × 128 the three threads of the decoding pass
/// (packets, OCPP-J, SQLite) each ran about half a core, woken and put to
/// sleep for every small batch, and 2 cores were 1.5 busy; with 16 × 512
/// (here and in FrameThread) 1.75, and that pass of the 250 MB benchmark
/// capture took 4.1–4.4 s instead of 4.6 s. Why 64 here: the writer has
/// stretches of a few tenths of a second where it is the one at a full
/// core (perf, per tenth of a second), and with 16 batches the threads
/// before it soon waited for it while the other core idled (perf sched:
/// the packets' thread off the CPU about 1 s of that pass's 2.8 s; perf
/// over all cores: 11% of both idle, about 5% with 64). 64 batches let
/// them run ahead and the writer catch up after. Ten interleaved rounds
/// of the 250 MB capture's ingest: that pass median 2.46 s to 2.27 s, the
/// whole ingest 5.05 s to 4.86 s, peak 100 to 106 MB (1 GB capture 113 to
/// 115 MB); 32 gave half of it, 128 or 256 no more but up to 149 MB. A
/// log's ingest is no faster with it (its pass has no such stretches), and
/// peaks 8 MB higher. FrameThread keeps 16: 64 there gained nothing
/// measurable. (An earlier version, whose decoded messages were larger,
/// peaked 29 MB higher with 8 × 1,024: measure again before raising them.)
final class SinkThread: MessageSink {
    /// The rare calls boxed, as in FrameThread: a call is then the size of
    /// a message, not of a ConnectionInfo.
    private enum Call {
        indirect case opened(ConnectionInfo)
        indirect case updated(ConnectionInfo)
        case message(DecodedMessage)
        case outcome(CallOutcome)
        indirect case issue(DecodeIssue)
        case keepAlive(KeepAlive)
    }

    static let batchSize = 512
    static let inFlight = 64
    private let handoff: OrderedHandoff<Call>

    init(target: MessageSink) {
        handoff = OrderedHandoff(name: "store-writer", batchSize: SinkThread.batchSize, inFlight: SinkThread.inFlight) { (call: consuming Call) in
            switch consume call {
            case .opened(let c): target.connectionOpened(c)
            case .updated(let c): target.connectionUpdated(c)
            case .message(let m): target.message(consume m)
            case .outcome(let o): target.outcome(o)
            case .issue(let i): target.issue(i)
            case .keepAlive(let k): target.keepAlive(k)
            }
        }
    }

    private func add(_ call: consuming Call) { handoff.add(consume call) }

    func connectionOpened(_ connection: ConnectionInfo) { add(.opened(connection)) }
    func connectionUpdated(_ connection: ConnectionInfo) { add(.updated(connection)) }
    func message(_ message: consuming DecodedMessage) { add(.message(consume message)) }
    func outcome(_ outcome: CallOutcome) { add(.outcome(outcome)) }
    func issue(_ issue: DecodeIssue) { add(.issue(issue)) }
    func keepAlive(_ k: KeepAlive) { add(.keepAlive(k)) }

    /// Hands over what is left and waits until the target has taken every
    /// call; after this the target belongs to the caller's thread again.
    func finish() { handoff.finish() }
}
