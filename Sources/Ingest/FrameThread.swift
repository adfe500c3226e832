import Frames

/// A frame sink that passes every call, in order, to another frame sink (the
/// OCPP message decoder) running on a thread of its own: packets, TCP and
/// WebSocket on one core, OCPP-J parsing, validation and what follows on
/// the other.
///
/// Why: in `decode` of a 20 MB slice of the benchmark (callgrind), the
/// capture layers are 1.23 G of 2.42 G instructions and everything right of
/// the frames (MessageDecoder and the printing) 1.06 G, so the two halves
/// balance. The target sees exactly the calls it would have seen, in the
/// same order. Batches of 512 calls, at most 16 in flight (see SinkThread
/// for why; `decode` of the 250 MB benchmark capture: 2.44 s to 2.25 s
/// wall, peak 58 MB to 65 MB).
final class FrameThread: FrameSink {
    /// The rare calls are boxed (`indirect`) so that a call is the size of a
    /// frame: unboxed, every call was as large as a ConnectionInfo (32
    /// fields), and copying frames into a batch and destroying them after
    /// went through that layout (callgrind, `decode` of the 40 MB benchmark
    /// corpus: about 75 M instructions on each of the two threads).
    private enum Call {
        indirect case opened(ConnectionInfo)
        indirect case updated(ConnectionInfo)
        case frame(OCPPFrame)
        indirect case issue(DecodeIssue)
        case keepAlive(KeepAlive)
    }

    private let handoff: OrderedHandoff<Call>

    init(target: FrameSink) {
        handoff = OrderedHandoff(name: "ocpp-decoder", batchSize: 512, inFlight: 16) { (call: consuming Call) in
            switch consume call {
            case .opened(let c): target.connectionOpened(c)
            case .updated(let c): target.connectionUpdated(c)
            case .frame(let f): target.frame(consume f)
            case .issue(let i): target.issue(i)
            case .keepAlive(let k): target.keepAlive(k)
            }
        }
    }

    func connectionOpened(_ connection: ConnectionInfo) { handoff.add(.opened(connection)) }
    func connectionUpdated(_ connection: ConnectionInfo) { handoff.add(.updated(connection)) }
    func frame(_ frame: consuming OCPPFrame) { handoff.add(.frame(consume frame)) }
    func issue(_ issue: DecodeIssue) { handoff.add(.issue(issue)) }
    func keepAlive(_ k: KeepAlive) { handoff.add(.keepAlive(k)) }

    /// Waits until the target has taken every call so far (see OrderedHandoff.sync).
    func sync() { handoff.sync() }

    /// Hands over what is left and waits until the target has taken every
    /// call; after this the target belongs to the caller's thread again.
    func finish() { handoff.finish() }
}
