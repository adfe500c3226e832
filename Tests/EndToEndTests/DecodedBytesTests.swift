import Foundation
import Store
import Testing

/// `bytes_decoded` against `bytes_seen` says how much of a connection was
/// understood: a connection captured whole, with nothing wrong in it, is
/// decoded to its last byte, handshake, refusal body and control frames
/// included.
@Suite("End to end")
struct DecodedBytesTests {
    @Test func aCleanConnectionIsDecodedToItsLastByte() throws {
        let (store, _, path) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: path) }
        let s = try store.db.prepare("""
            SELECT id, http_status, pings + pongs, closed_how, bytes_seen_cp, bytes_decoded_cp, bytes_seen_csms, bytes_decoded_csms
            FROM connections ORDER BY id
            """)
        var rows = 0, refused = 0, pinged = 0, closedByFrame = 0
        while try s.step() {
            rows += 1
            #expect(s.int64(4) == s.int64(5) && s.int64(6) == s.int64(7), "connection \(s.int64(0))")
            if s.int64(1) == 401 { refused += 1 }
            if s.int64(2) > 0 { pinged += 1 }
            if s.text(3) == "close-frame" { closedByFrame += 1 }
        }
        // The sample has each kind: a refused upgrade with its body, pings and pongs, close frames.
        #expect(rows == 8 && refused == 1 && pinged > 0 && closedByFrame > 0)
    }
}
