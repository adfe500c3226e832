import Frames

/// Turns log messages into frames: one connection per charge point, the
/// direction of every message settled, the OCPP version inferred, repeats
/// dropped; everything right of the seam then works as for captures.
///
/// Direction, in order of trust:
/// 1. the message itself: a CALL of an action only one side may send
///    (`OCPPActions`), an answer to a CALL seen before (the other way);
/// 2. a direction the line names outright (`ChargePoint>CentralSystem`);
/// 3. the line's relative word (`send`, `received`) turned by the writer's
///    side, learned from the messages of step 1 (a `send` of a BootNotification
///    means a charge point wrote the log). Until that side is known, such
///    messages wait (at most `holdLimit` per charge point); when both sides
///    write into one log (the Python library's does), there is no one side;
/// 4. otherwise the usual way is assumed and counted: CALLs from the charge
///    point, answers from the CSMS.
///
/// The OCPP version is set on the connection only when the log states it (a
/// `version` field); otherwise the store infers it from actions and payload
/// shapes, as it does for captures whose handshake was not seen.
public final class LogFrameBuilder {
    private enum Writer { case undecided, side(Direction), mixed }

    private final class Station {
        var connection: ConnectionInfo
        var opened = false
        var version: String?
        var pending: [(LogMessage, EnvelopePeek?)] = []
        var head = 0
        /// By unique id (its hash, EnvelopePeek).
        var callDirections = CallDirections(callLimit: LogFrameBuilder.callMemory)
        var lastTime: Timestamp?
        init(connection: ConnectionInfo) { self.connection = connection }
        var waiting: Int { pending.count - head }
    }

    private let sink: FrameSink
    private var stations: [String: Station] = [:]
    private var order: [String] = []
    /// The station of the message before. Why: a charge point's CALL and
    /// its answer often stand on neighbouring lines, and the reader hands
    /// the same String for the same identity (LogScanner), which compares in
    /// one step; the Dictionary hashed the identity for every message (3% of
    /// reading the 10 MB benchmark log).
    private var lastStation: (identity: String, station: Station)?
    private var nextConnection = 1
    /// Votes for the writer's side: a relative word on a message whose
    /// direction the content settled.
    private var writerIsChargePoint = 0
    private var writerIsCSMS = 0
    private var dedup: Deduplicator
    public private(set) var stats = LogStats()

    static let holdLimit = 256
    /// CALLs remembered per station for the direction of their answers:
    /// between this and twice this. OCPP-J allows one CALL in flight per
    /// side, so an answer comes within a few CALLs of its own; 8,192 (up to
    /// 16,384 unique ids per station) let a log's memory grow with the
    /// fleet and the log: decoding the benchmark's 250 MB log of 500 charge
    /// points peaked at 106.6 MB at 8,192 and 96.1 MB at 512, with the same
    /// output. 512 still gave each station a 16 KB table, 8 MB for the
    /// fleet, and nearly every lookup missed the cache (perf annotate: 71%
    /// of CallDirections.find on the slot's load); at 64 the tables are 2 KB
    /// (250 MB benchmark log: same output, eight pairs median 0.03 s less).
    static let callMemory = 64

    public init(sink: FrameSink, duplicateWindow: Int64) {
        self.sink = sink
        dedup = Deduplicator(window: duplicateWindow)
    }

    public func submit(_ m: LogMessage) {
        let station: Station
        if let last = lastStation, last.identity == m.identity {
            station = last.station
        } else if let s = stations[m.identity] { station = s } else {
            var c = ConnectionInfo(id: nextConnection, chargePoint: m.identity, identitySource: .log, firstFrame: m.line)
            c.closedHow = nil
            nextConnection += 1
            station = Station(connection: c)
            stations[m.identity] = station
            order.append(m.identity)
        }
        lastStation = (m.identity, station)
        let peek = EnvelopePeek(m.text)
        if station.version == nil, let v = m.version.flatMap(VersionEvidence.normalise) {
            station.version = v
            station.connection.subprotocol = "ocpp" + v
            if station.opened { sink.connectionUpdated(station.connection) }
        }
        // The writer's side is learned from every message the content places,
        // even one queued behind a message that waits for that side. Only a
        // relative word votes, so only then is the content asked. Why: an
        // answer's content is a lookup of its CALL (CallDirections), which
        // was made twice for every answer of a log that names the sides
        // (perf, 250 MB benchmark log: CallDirections.find 8% of the reading thread).
        switch m.stated {
        case .outgoing, .incoming:
            if let d = content(peek, station) {
                let sentByWriter = m.stated == .outgoing
                if (d == .chargePointToCSMS) == sentByWriter { writerIsChargePoint += 1 } else { writerIsCSMS += 1 }
            }
        default: break
        }
        let before = writer
        if station.waiting == 0, let (d, guessed) = resolve(m, peek, station, force: false) {
            // Nothing waits ahead of it: what `drain` would do, without the
            // queue (its append and reset were 7% of a log's reading).
            emit(m, d, station, guessed: guessed)
        } else {
            station.pending.append((m, peek))
            drain(station, force: false)
        }
        if !isSame(before, writer) { drainAll(force: false) }
    }

    /// The input ended: everything held goes on, with the assumed direction
    /// where none could be settled, and every connection ends.
    public func finish() {
        drainAll(force: true)
        for id in order {
            guard let s = stations[id], s.opened else { continue }
            s.connection.ended = true
            s.connection.closedHow = "end-of-data"
            s.connection.closedAt = s.lastTime
            sink.connectionUpdated(s.connection)
        }
        stats.chargePoints = order.count
    }

    public func issue(_ i: DecodeIssue) { sink.issue(i) }

    /// Counts kept by the reader, merged into the builder's.
    func note(_ body: (inout LogStats) -> Void) { body(&stats) }

    // MARK: Direction

    private var writer: Writer {
        let a = writerIsChargePoint, b = writerIsCSMS
        if a == 0 && b == 0 { return .undecided }
        if b == 0 || a >= 10 * b { return .side(.chargePointToCSMS) }
        if a == 0 || b >= 10 * a { return .side(.csmsToChargePoint) }
        return .mixed
    }

    private func isSame(_ x: Writer, _ y: Writer) -> Bool {
        switch (x, y) {
        case (.undecided, .undecided), (.mixed, .mixed): return true
        case (.side(let p), .side(let q)): return p == q
        default: return false
        }
    }

    /// The direction of `m`, or nil when it must wait for the writer's side.
    private func resolve(_ m: LogMessage, _ peek: EnvelopePeek?, _ s: Station, force: Bool) -> (Direction, guessed: Bool)? {
        var guessed = false
        let d: Direction
        if let c = content(peek, s) {
            d = c
        } else {
            switch (m.stated, writer) {
            case (.absolute(let a), _):
                d = a
            case (.outgoing, .side(let w)):
                d = w
            case (.incoming, .side(let w)):
                d = w.reversed
            case (.outgoing, .undecided), (.incoming, .undecided):
                if !force { return nil }
                fallthrough
            default:
                guessed = true
                switch peek?.type {
                case 3, 4: d = .csmsToChargePoint
                default: d = .chargePointToCSMS
                }
            }
        }
        if let peek, peek.type == 2 {
            s.callDirections.set(d, for: peek.uniqueId)
        }
        return (d, guessed)
    }

    /// The direction the message itself gives: a CALL of a one-sided action,
    /// or an answer to a CALL seen before.
    private func content(_ peek: EnvelopePeek?, _ s: Station) -> Direction? {
        guard let peek else { return nil }
        switch peek.type {
        case 2, 6: return peek.sender
        case 3, 4: return s.callDirections[peek.uniqueId]?.reversed
        case 5: return s.callDirections[peek.uniqueId]
        default: return nil
        }
    }

    private func drainAll(force: Bool) {
        for id in order where stations[id]!.waiting > 0 { drain(stations[id]!, force: force) }
    }

    private func drain(_ s: Station, force: Bool) {
        let overflow = s.waiting > LogFrameBuilder.holdLimit
        while s.head < s.pending.count {
            let (m, peek) = s.pending[s.head]
            guard let (d, guessed) = resolve(m, peek, s, force: force || overflow) else { break }
            s.head += 1
            emit(m, d, s, guessed: guessed)
        }
        if s.head == s.pending.count {
            s.pending.removeAll(keepingCapacity: true)
            s.head = 0
        } else if s.head > 1024 {
            s.pending.removeFirst(s.head)
            s.head = 0
        }
    }

    private func emit(_ m: LogMessage, _ d: Direction, _ s: Station, guessed: Bool) {
        if dedup.isRepeat(station: s.connection.id, direction: d, text: m.text, time: m.time) {
            stats.duplicates += 1
            return
        }
        if guessed { stats.directionGuessed += 1 }
        if !s.opened {
            s.opened = true
            s.connection.openedAt = m.time
            s.connection.firstFrame = m.line
            s.connection.lastFrame = m.line
            sink.connectionOpened(s.connection)
        }
        s.connection.lastFrame = m.line
        s.connection.stats.messages += 1
        let n = m.text.count
        if d == .chargePointToCSMS {
            s.connection.stats.bytesSeen.0 += UInt64(n); s.connection.stats.bytesDecoded.0 += UInt64(n)
        } else {
            s.connection.stats.bytesSeen.1 += UInt64(n); s.connection.stats.bytesDecoded.1 += UInt64(n)
        }
        if s.lastTime == nil || m.time > s.lastTime! { s.lastTime = m.time }
        let t = m.time.microseconds
        if stats.firstTime == nil || t < stats.firstTime! { stats.firstTime = t }
        if stats.lastTime == nil || t > stats.lastTime! { stats.lastTime = t }
        stats.messages += 1
        sink.frame(OCPPFrame(text: m.text, time: m.time, direction: d, connection: s.connection.id, frame: m.line))
    }

    /// The connection number of a charge point, for issues that belong to it.
    public func connection(of identity: String) -> Int? { stations[identity]?.connection.id }
}
