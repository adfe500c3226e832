import Crypto
import Foundation
import Ingest
import Store
import Testing

/// The source digest (SHA-256 of the file, as `sha256sum` prints it) and the
/// keyed hash of `--redact` (HMAC-SHA256), against published test vectors.
@Suite("Digests")
struct DigestTests {
    private func digest(of bytes: [UInt8]) throws -> String {
        let path = Fixture.tempPath(".bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try FileDigest.sha256(path: path)
    }

    @Test func fipsVectors() throws {
        #expect(try digest(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try digest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try digest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// A file read in several chunks (the reader takes a MiB at a time)
    /// hashes as its bytes do in one call.
    @Test func chunkedReadMatchesOneCall() throws {
        var bytes = [UInt8](repeating: 0, count: 3 << 20 | 12_345)
        var x: UInt32 = 2_463_534_242
        for i in bytes.indices { x ^= x << 13; x ^= x >> 17; x ^= x << 5; bytes[i] = UInt8(truncatingIfNeeded: x) }
        let expected = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(try digest(of: bytes) == expected)
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: IngestError.self) { _ = try FileDigest.sha256(path: "/nonexistent/file.pcap") }
    }

    /// Into a database with no source of its size, a capture is hashed while
    /// it is decoded: its row gets the digest `sha256sum` prints, and a copy
    /// of it under another name is still found by it and changes nothing.
    @Test func aCaptureHashedBesideItsDecodingGetsItsDigest() throws {
        let sample = Fixture.sample("fleet-small.pcap")
        let copy = Fixture.tempPath(".pcap")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: sample, toPath: copy)
        let (store, outcomes, db) = try Fixture.ingest([sample])
        defer { Store.removeFiles(atPath: db) }
        guard case .ingested = outcomes[0] else { Issue.record("not ingested: \(outcomes[0])"); return }
        #expect(try store.db.scalarText("SELECT digest FROM sources") == FileDigest.sha256(path: sample))
        let messages = try store.db.scalarInt("SELECT count(*) FROM messages")
        guard case .alreadyIngested = Ingester(store: store).ingest(path: copy) else { Issue.record("the copy was stored again"); return }
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") == messages)
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 1)
        // As if another writer had stored it while this one decoded (its size
        // not yet there when asked): the late digest finds it, and nothing
        // of this read is kept.
        try store.db.execute("UPDATE sources SET size = size + 1")
        guard case .alreadyIngested = Ingester(store: store).ingest(path: copy) else { Issue.record("the copy was stored again"); return }
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") == messages)
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 1)
    }

    /// RFC 4231, test case 2: the redaction hash keeps the first 16 bytes.
    @Test func hmacVector() {
        let hash = KeyedHash.function(key: SymmetricKey(data: Data("Jefe".utf8)))
        #expect(hash("what do ya want for nothing?") == "h:5bdcc146bf60754e6a042426089575c7")
    }
}
