import Frames

/// What became of a CALL.
public enum CallOutcome: Sendable {
    /// Answered by a CALLRESULT or CALLERROR `latency` µs later.
    case answered(call: Int64, by: MessageType, latency: Int64)
    /// Never answered: the connection closed first (`closed`), or the data
    /// ended while it was still open (`end-of-data`).
    case unanswered(call: Int64, reason: String)
}

/// Pairs answers with their CALLs by unique id within a connection.
///
/// A CALL from one side is answered from the other. Once answered, the id is
/// forgotten: chargers reuse ids (counters reset at reboot, fixed templates),
/// and a CALL that reuses an id later is a new call, not a duplicate.
public struct Correlator {
    public struct Pending: Sendable {
        public var sequence: Int64
        public var action: String
        public var time: Timestamp
    }

    /// A connection, a direction and a unique id, held in the key itself:
    /// no String, so keys are made, compared, stored and dropped without
    /// allocating or reference counting (the ids were a heap String per
    /// message, UUIDs being 36 bytes, and the ring of answered calls
    /// released one for every answer: perf, 250 MB benchmark ingest).
    ///
    /// OCPP-J ids are at most 36 characters; 40 bytes hold them as they
    /// are. A longer id (up to `OCPPMessage.maxUniqueIdLength`) keeps its
    /// first 32 bytes and, in the last word, a seeded hash of all of it:
    /// two such ids of one connection and direction alike in both, a chance
    /// near 2^-64, would be taken for one.
    private struct Key: Hashable {
        var connection: Int
        var direction: Direction
        var count: Int
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0, w4: UInt64 = 0

        init(connection: Int, direction: Direction, uniqueId b: UnsafeRawBufferPointer) {
            self.connection = connection
            self.direction = direction
            count = b.count
            let kept = b.count <= Key.inline ? b.count : Key.inline - 8
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { w in
                if kept > 0, let base = b.baseAddress { w.baseAddress!.copyMemory(from: base, byteCount: kept) }
            }
            if b.count > Key.inline { words.4 = ByteWord.hash(b, seed: Key.seed) }
            (w0, w1, w2, w3, w4) = words
        }

        /// Bytes of an id held as they are.
        static let inline = 40

        /// The words folded into one, then one word to Hasher: String's
        /// own hashing fed every byte through SipHash, 270 instructions a
        /// lookup (two per CALL, 38 M of `decode`'s OCPP-J thread on the
        /// 40 MB benchmark corpus).
        func hash(into hasher: inout Hasher) {
            var h = Key.seed ^ UInt64(truncatingIfNeeded: count)
            @inline(__always) func fold(_ w: UInt64) { h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15; h ^= h >> 29 }
            fold(w0); fold(w1); fold(w2); fold(w3); fold(w4)
            hasher.combine(h ^ UInt64(truncatingIfNeeded: connection) &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(direction.rawValue))
        }

        private static let seed = UInt64.random(in: .min ... .max)
    }

    /// Open CALLs of every connection in one table: one hash per CALL and
    /// per answer (a table per connection inside another cost two, 5% of
    /// `decode`'s OCPP-J thread). A connection's end looks through it only
    /// when that connection has CALLs open (`Calls.open`), and it holds only
    /// open CALLs.
    private var pending: [Key: Pending] = [:]
    /// What the correlator keeps of each connection that has had a CALL,
    /// until the connection ends. Why by connection and dropped at its end:
    /// a count in an array indexed by connection number grew by a slot for
    /// every connection ever seen, without bound in a live capture of months
    /// or a capture of chargers that reconnect often (memory must depend on
    /// the connections open at once).
    private var connections: [Int: Calls] = [:]
    private static let answeredMemory = 32

    private struct Calls {
        /// CALLs of this connection in `pending`.
        var open: Int32 = 0
        /// Calls answered recently, for OCPP 2.1's CALLRESULTERROR (which
        /// refers to an already answered call). A few per connection suffice.
        var answered = Recent()

        /// A CALL of this connection was answered: out of the open ones, into the ring.
        mutating func answer(_ e: Recent.Entry) {
            open -= 1
            answered.add(e)
        }
    }

    /// The last `answeredMemory` calls answered on a connection, in a ring:
    /// each answer takes the oldest one's place. Why a ring: a list trimmed
    /// in halves destroyed its (key, call) pairs through the generic tuple
    /// witness, 4% of the OCPP thread's time (perf, 250 MB benchmark ingest).
    private struct Recent {
        struct Entry {
            var key: Key
            var call: Pending
        }
        private var entries: [Entry] = []
        /// Where the next answer goes once the ring is full: the oldest.
        private var next = 0

        mutating func add(_ e: Entry) {
            if entries.count < Correlator.answeredMemory {
                entries.append(e)
            } else {
                entries[next] = e
                next = (next + 1) % Correlator.answeredMemory
            }
        }

        /// The newest entry of `key`.
        func newest(_ key: Key) -> Pending? {
            for k in 0..<entries.count {
                let e = entries[(next - 1 - k + 2 * entries.count) % entries.count]
                if e.key == key { return e.call }
            }
            return nil
        }
    }

    public init() {}

    /// Registers a CALL. Returns the outcome of an earlier call with the same
    /// id from the same side that was still open (it will never be answered now).
    public mutating func call(connection: Int, direction: Direction, uniqueId: UnsafeRawBufferPointer, action: String,
                              sequence: Int64, time: Timestamp) -> CallOutcome? {
        let key = Key(connection: connection, direction: direction, uniqueId: uniqueId)
        let old = pending.updateValue(Pending(sequence: sequence, action: action, time: time), forKey: key)
        if old == nil { connections[connection, default: Calls()].open += 1 }
        return old.map { .unanswered(call: $0.sequence, reason: "id-reused") }
    }

    /// Matches an answer (CALLRESULT/CALLERROR) travelling in `direction` to
    /// the open CALL from the other side.
    public mutating func answer(connection: Int, direction: Direction, uniqueId: UnsafeRawBufferPointer) -> Pending? {
        let key = Key(connection: connection, direction: direction.reversed, uniqueId: uniqueId)
        guard let p = pending.removeValue(forKey: key) else { return nil }
        // In place, through one lookup of the connection.
        connections[connection, default: Calls()].answer(Recent.Entry(key: key, call: p))
        return p
    }

    /// The call a CALLRESULTERROR refers to: the CALL answered by the
    /// CALLRESULT it rejects, travelling the same way as this error.
    public func answeredCall(connection: Int, direction: Direction, uniqueId: UnsafeRawBufferPointer) -> Pending? {
        let key = Key(connection: connection, direction: direction, uniqueId: uniqueId)
        return connections[connection]?.answered.newest(key)
    }

    /// The connection ended: every open CALL is unanswered.
    public mutating func end(connection: Int, reason: String) -> [CallOutcome] {
        guard let calls = connections.removeValue(forKey: connection), calls.open > 0 else { return [] }
        let open = pending.filter { $0.key.connection == connection }
        for key in open.keys { pending[key] = nil }
        return open.values.sorted { $0.sequence < $1.sequence }.map { .unanswered(call: $0.sequence, reason: reason) }
    }

    public var openCalls: Int { pending.count }
    /// Connections the correlator holds anything of (for tests: those that ended are forgotten).
    public var connectionsHeld: Int { connections.count }
}
