import Frames
@testable import LogStream
import Testing

/// The hand-made tables of the log reader's hot path must answer as the
/// Dictionaries and loops they replaced.
@Suite("Log lookup tables")
struct LookupTableTests {
    /// Against the two sets the table is made of.
    @Test func actionBytesFindTheSameSenderAsTheName() {
        let names = Array(OCPPActions.fromChargePoint) + Array(OCPPActions.fromCSMS) + Array(OCPPActions.fromEitherSide)
            + ["DataTransfer", "", "B", "bootnotification", "BootNotificationX", "BootNotificatio", "Heartbeat\u{0}"]
        for name in names {
            let bytes = Array(name.utf8)
            let found = bytes.withUnsafeBytes { OCPPActions.sender(ofBytes: $0) }
            let expected: Direction? = OCPPActions.fromChargePoint.contains(name) ? .chargePointToCSMS
                : OCPPActions.fromCSMS.contains(name) ? .csmsToChargePoint : nil
            #expect(found == expected, "\(name)")
            #expect(OCPPActions.sender(of: name) == expected, "\(name)")
            #expect(OCPPActions.sender(of: name[...]) == expected, "\(name)")
            let known = OCPPActions.fromChargePoint.contains(name) || OCPPActions.fromCSMS.contains(name)
                || OCPPActions.fromEitherSide.contains(name)
            #expect(bytes.withUnsafeBytes { OCPPActions.name(ofBytes: $0) } == (known ? name : nil), "\(name)")
        }
        #expect(Array("MeterValues".utf8).withUnsafeBytes { OCPPActions.sender(ofBytes: $0) } == .chargePointToCSMS)
        #expect(Array("Reset".utf8).withUnsafeBytes { OCPPActions.sender(ofBytes: $0) } == .csmsToChargePoint)
    }

    /// Against a Dictionary and an order array, as LogFrameBuilder kept them
    /// before: the same answers for every id, through evictions and
    /// repeated ids, and a table that stays bounded.
    @Test func callDirectionsAnswerAsTheDictionaryDid() {
        let limit = 8
        var table = CallDirections(callLimit: limit)
        var reference: [UInt64: Direction] = [:]
        var order: [UInt64] = []
        var rng = SplitMix(seed: 0xCA11)
        // Ids from a small pool, so that some repeat while remembered and after;
        // 0, 1, 2 and 3 are one id to the table: 0 and 1 share their upper 63 bits, which are those of the empty mark, so they are kept as 2.
        let pool: [UInt64] = [0, 1, 2, 3] + (0..<60).map { _ in rng.next() }
        for step in 0..<5000 {
            let id = pool[Int(rng.next() % UInt64(pool.count))]
            // The reference keys by the bits the table keeps.
            let key = id & ~1 == 0 ? 2 : id & ~1
            if step % 3 == 0 {
                #expect(table[id] == reference[key], "step \(step)")
                continue
            }
            let d: Direction = rng.next() % 2 == 0 ? .chargePointToCSMS : .csmsToChargePoint
            table.set(d, for: id)
            if reference.updateValue(d, forKey: key) == nil {
                order.append(key)
                if order.count > limit * 2 {
                    for k in order.prefix(limit) { reference[k] = nil }
                    order.removeFirst(limit)
                }
            }
            #expect(table.count == reference.count)
        }
        for id in pool {
            let key = id & ~1 == 0 ? 2 : id & ~1
            #expect(table[id] == reference[key])
        }
        // At most twice the limit held, at most half full: 4 × limit slots.
        #expect(table.capacity <= 4 * limit)
    }

    @Test func byteCopiesAndComparesMatchTheSlices() {
        let text = Array(#"{"message":[2,"a","Heartbeat",{}]}"#.utf8)
        text.withUnsafeBytes { b in
            for lo in 0...b.count {
                for hi in lo...b.count {
                    #expect(ByteSearch.copy(b, lo..<hi) == Array(text[lo..<hi]))
                    let other = Array(text[lo..<hi])
                    #expect(other.withUnsafeBytes { ByteSearch.equal(UnsafeRawBufferPointer(rebasing: b[lo..<hi]), $0) })
                }
            }
            #expect(!ByteSearch.equal(UnsafeRawBufferPointer(rebasing: b[0..<3]), UnsafeRawBufferPointer(rebasing: b[1..<4])))
            #expect(!ByteSearch.equal(UnsafeRawBufferPointer(rebasing: b[0..<3]), UnsafeRawBufferPointer(rebasing: b[0..<4])))
        }
    }

    /// Member names seen before are found by their bytes; their roles are
    /// those of their keys, past the memo's limit too.
    @Test func memberNamesKeepTheirRoles() {
        let parser = JSONLinesParser(options: LogOptions())
        var names = ["time", "TIME", "charge_point", "chargePoint", "direction", "message", "msg", "version", "other"]
        names += (0..<(JSONLinesParser.recentLimit + 4)).map { "extra\($0)" }
        names += ["time", "Ts", "cp"]
        for _ in 0..<2 {
            for name in names {
                let bytes = Array(name.utf8)
                let role = bytes.withUnsafeBytes { parser.role(of: $0) }
                #expect(role == JSONLinesParser.roles[FlatJSON.nameKey(name)], "\(name)")
            }
        }
    }
}
