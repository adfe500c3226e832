import Foundation
import Frames
import History
import Store

/// A history sink that passes every call, in order, to a HistoryWriter on a
/// thread of its own: the trackers derive while SQLite writes what they
/// derived.
///
/// Why: the history's rows are written by the thread that derives them, and
/// the writing was nearly half its work (10 MB benchmark ingest, callgrind:
/// the meter values' inserts alone 162 M of the trackers' 447 M). Once the
/// index builds beside the history ended, that thread was the one still
/// busy, at a core, while the reader of the messages waited for it at half
/// a core. 250 MB capture, three interleaved pairs: the phase beside the
/// index builds 5.71 s to 5.10 s on average, the peak 133 to 138 MB. The
/// writer sees exactly the calls it would have seen, in the same order, so
/// the rows and their ids are the same.
final class HistorySinkThread: HistorySink {
    /// The rarer, larger records boxed: a call is then the size of a meter
    /// value, which most calls are. Batches of 256, 4 in flight: with 512 × 8
    /// the peak was 11 MB above the single thread's (15 MB unboxed), and
    /// the phase no faster.
    private enum Call {
        case clear(String)
        case endOfChargePoint
        indirect case session(SessionRecord)
        case meterSample(MeterSample)
        indirect case statusInterval(StatusInterval)
        indirect case connectivity(ConnectivityInterval)
        indirect case chargePoint(ChargePointDerived)
        indirect case attempt(AttemptRecord)
    }

    static let batchSize = 256
    static let inFlight = 4
    private let handoff: OrderedHandoff<Call>
    private let failure = FirstFailure()

    /// `store` is `writer`'s, used by this thread only until `finish`.
    init(writer: HistoryWriter, store: Store) {
        let failure = self.failure
        handoff = OrderedHandoff(name: "history-writer", batchSize: HistorySinkThread.batchSize,
                                 inFlight: HistorySinkThread.inFlight) { (call: consuming Call) in
            switch consume call {
            case .clear(let cp):
                do { try store.clearHistory(cp) } catch { failure.note(error) }
            case .endOfChargePoint:
                do { try writer.check() } catch { failure.note(error) }
            case .session(let s): writer.session(s)
            case .meterSample(let v): writer.meterSample(consume v)
            case .statusInterval(let i): writer.statusInterval(i)
            case .connectivity(let i): writer.connectivity(i)
            case .chargePoint(let d): writer.chargePoint(d)
            case .attempt(let a): writer.attempt(a)
            }
        }
    }

    /// Removes a charge point's derived rows, in turn with the writes.
    func clearHistory(_ chargePoint: String) { handoff.add(.clear(chargePoint)) }

    /// What HistoryWriter.check does at the end of each charge point (its
    /// held rows written), done in turn; its error is reported by `finish`.
    func endOfChargePoint() { handoff.add(.endOfChargePoint) }

    func session(_ s: SessionRecord) { handoff.add(.session(s)) }
    func meterSample(_ v: consuming MeterSample) { handoff.add(.meterSample(consume v)) }
    func statusInterval(_ i: StatusInterval) { handoff.add(.statusInterval(i)) }
    func connectivity(_ i: ConnectivityInterval) { handoff.add(.connectivity(i)) }
    func chargePoint(_ d: ChargePointDerived) { handoff.add(.chargePoint(d)) }
    func attempt(_ a: AttemptRecord) { handoff.add(.attempt(a)) }

    /// Waits until every call has been carried out, then reports the first
    /// error of any (the caller rolls back). The writer belongs to the
    /// caller's thread again.
    func finish() throws {
        handoff.finish()
        if let error = failure.error { throw error }
    }
}

/// The first error of the writer thread's own calls, read after it ended.
private final class FirstFailure: @unchecked Sendable {
    private(set) var error: Error?
    func note(_ e: Error) { if error == nil { error = e } }
}
