import Frames

/// The words and arrows logs use for a message's way.
///
/// Why most are relative: `send` in a CSMS log is `receive` in the charge
/// point's log of the same message; only the writer's side turns them into a
/// direction on the wire (see `DirectionResolver`). `request`/`response` are
/// read as a server writes them (a request comes in, a response goes out), a
/// weak hint that the message's own content overrides.
enum DirectionWords {
    /// The word lower-cased and without spaces, looked up by a 64-bit FNV-1a
    /// of those bytes and then compared byte by byte with the entry found.
    ///
    /// Why not a table keyed by the bytes themselves, as before: that built
    /// an array and hashed it a byte at a time on every line of a JSON-lines
    /// log with a direction field (3.4% of its decoding instructions).
    static func classify(_ word: some Collection<UInt8>) -> StatedDirection? {
        var h = fnvOffset
        var n = 0
        for c in word where c != 0x20 {
            h = (h ^ UInt64(ByteSearch.lower(c))) &* fnvPrime
            n += 1
        }
        guard let entry = byHash[h], entry.word.count == n else { return nil }
        var i = 0
        for c in word where c != 0x20 {
            if ByteSearch.lower(c) != entry.word[i] { return nil }
            i += 1
        }
        return entry.direction
    }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// `table` by the FNV-1a of each word (the words are lower-case already).
    private static let byHash: [UInt64: (word: [UInt8], direction: StatedDirection)] = {
        var t: [UInt64: (word: [UInt8], direction: StatedDirection)] = [:]
        for (word, direction) in table {
            let h = word.reduce(fnvOffset) { ($0 ^ UInt64($1)) &* fnvPrime }
            precondition(t[h] == nil, "two direction words share a hash")
            t[h] = (word, direction)
        }
        return t
    }()

    static func classify(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> StatedDirection? {
        guard r.count <= 24 else { return nil }
        // The wire names as ocppscope and many loggers write them, compared
        // as they are (the general lookup gives the same answer): most
        // JSON-lines logs name every line's direction so (2.5% of a log's
        // decoding went to the general path).
        if r.count == 10 {
            let head = ByteWord.load(b, r.lowerBound), tail = UInt16(b[r.lowerBound + 8]) | UInt16(b[r.lowerBound + 9]) << 8
            if head == cpToCSMS.head && tail == cpToCSMS.tail { return .absolute(.chargePointToCSMS) }
            if head == csmsToCP.head && tail == csmsToCP.tail { return .absolute(.csmsToChargePoint) }
        }
        return classify(b[r])
    }

    /// A ten-byte word as its first eight bytes and its last two, little-endian.
    private static func words(_ s: StaticString) -> (head: UInt64, tail: UInt16) {
        let b = UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
        return (ByteWord.load(b, 0), UInt16(b[8]) | UInt16(b[9]) << 8)
    }

    private static let cpToCSMS = words("cp_to_csms"), csmsToCP = words("csms_to_cp")

    static let table: [[UInt8]: StatedDirection] = {
        var t: [[UInt8]: StatedDirection] = [:]
        for w in ["send", "sent", "sending", "out", "outgoing", "tx", "->", ">>", "=>", "-->", ">", "response", "resp",
                  "write", "wrote", "transmit", "transmitted", "outbound"] {
            t[Array(w.utf8)] = .outgoing
        }
        for w in ["recv", "receive", "received", "receiving", "in", "incoming", "rx", "<-", "<<", "<=", "<--", "<",
                  "request", "req", "read", "inbound", "got"] {
            t[Array(w.utf8)] = .incoming
        }
        for w in ["cp_to_csms", "cp->csms", "cs->csms", "cs_to_csms", "chargepoint>centralsystem", "chargepoint->centralsystem",
                  "chargepointtocentralsystem", "chargingstationtocsms", "tocsms", "to_csms", "fromcp", "from_cp", "fromchargepoint",
                  "upstream", "cp2csms", "cp>csms", "station_to_csms", "cs2csms"] {
            t[Array(w.utf8)] = .absolute(.chargePointToCSMS)
        }
        for w in ["csms_to_cp", "csms->cp", "csms->cs", "csms_to_cs", "centralsystem>chargepoint", "centralsystem->chargepoint",
                  "centralsystemtochargepoint", "csmstochargingstation", "tocp", "to_cp", "tochargepoint", "fromcsms", "from_csms",
                  "downstream", "csms2cp", "csms>cp", "csms_to_station", "csms2cs"] {
            t[Array(w.utf8)] = .absolute(.csmsToChargePoint)
        }
        return t
    }()

    /// Words naming the CSMS side, for lines such as `CP01 -> CSMS`.
    static let csmsNames: Set<[UInt8]> = Set(["csms", "cs", "server", "central", "centralsystem", "backend", "cpms", "ocpp-server",
                                               "centralsystemservice"].map { Array($0.utf8) })
}
