import CPcap
import Foundation
import Frames
import Testing
@testable import Capture

/// ClassicPcapReader against libpcap itself, the reader it replaces for
/// classic pcap: the same packets (bytes, wire length, time, number) and the
/// same end, on files written here in every variant it takes and cut or
/// damaged in the ways libpcap reports.
@Suite("Classic pcap reader")
struct ClassicPcapReaderTests {
    struct Record {
        var seconds: UInt32
        var fraction: UInt32
        var captured: UInt32
        var wire: UInt32
        var data: [UInt8]
    }

    /// A pcap file: header and records in the given byte order and precision.
    static func file(swapped: Bool, nanoseconds: Bool, snapLength: UInt32 = 65_535, linkType: UInt32 = 1,
                     minor: UInt16 = 4, _ records: [Record]) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: swapped ? v.byteSwapped : v) { out += $0 } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: swapped ? v.byteSwapped : v) { out += $0 } }
        u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        u16(2); u16(minor)
        u32(0); u32(0)
        u32(snapLength)
        u32(linkType)
        for r in records {
            u32(r.seconds); u32(r.fraction); u32(r.captured); u32(r.wire)
            out += r.data
        }
        return out
    }

    /// `past2038`: one record after January 2038, which libpcap reads as
    /// unsigned only in files of the other byte order.
    static func records(count: Int, seed: UInt64, nanoseconds: Bool, past2038: Bool = false) -> [Record] {
        var rng = seed
        func next() -> UInt64 { rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return rng >> 33 }
        return (0..<count).map { i in
            // Sizes from empty to past a megabyte block boundary over the run.
            let n = Int(next() % (i % 50 == 0 ? 200_000 : 1_600))
            let data = (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) }
            let seconds: UInt32 = past2038 && i == 3 ? 0xF000_0000 : 1_700_000_000 + UInt32(i)
            return Record(seconds: seconds, fraction: UInt32(next() % (nanoseconds ? 1_000_000_000 : 1_000_000)),
                          captured: UInt32(n), wire: UInt32(n) + UInt32(next() % 3) * 100, data: data)
        }
    }

    struct Packet: Equatable {
        var data: [UInt8]
        var wire: Int
        var time: Int64
        var number: Int64
    }

    /// What libpcap reads from the file, as PcapFileReader read it before.
    static func libpcap(_ path: String) -> ([Packet], String) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let h = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errbuf) else {
            return ([], "open failed")
        }
        defer { pcap_close(h) }
        var out: [Packet] = []
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<u_char>?
        while true {
            let rc = pcap_next_ex(h, &header, &data)
            if rc == 1, let hd = header?.pointee, let data {
                out.append(Packet(data: Array(UnsafeBufferPointer(start: data, count: Int(hd.caplen))), wire: Int(hd.len),
                                  time: Int64(hd.ts.tv_sec) * 1_000_000 + Int64(hd.ts.tv_usec), number: Int64(out.count + 1)))
            } else if rc == -2 {
                return (out, "complete")
            } else {
                return (out, String(cString: pcap_geterr(h)))
            }
        }
    }

    static func ours(_ path: String) throws -> ([Packet], String, Bool) {
        let reader = try PcapFileReader(path: path)
        var out: [Packet] = []
        let end = reader.forEach { data, wire, time, number in
            out.append(Packet(data: Array(data), wire: wire, time: time.microseconds, number: number))
        }
        let how: String
        switch end {
        case .complete: how = "complete"
        case .truncated(_, let m), .failed(_, let m): how = m
        }
        return (out, how, reader.readsClassicPcap)
    }

    func compare(_ bytes: [UInt8], _ label: String, gzip: Bool = false) throws {
        let path = NSTemporaryDirectory() + "ocppscope-classic-\(UUID().uuidString).pcap"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (theirs, theirEnd) = ClassicPcapReaderTests.libpcap(path)
        let (mine, myEnd, classic) = try ClassicPcapReaderTests.ours(path)
        #expect(classic, "\(label): not read by ClassicPcapReader")
        #expect(mine.count == theirs.count, "\(label)")
        if let i = (0..<min(mine.count, theirs.count)).first(where: { mine[$0] != theirs[$0] }) {
            let (a, b) = (mine[i], theirs[i])
            Issue.record("\(label): packet \(i + 1) differs: \(a.data.count) bytes, wire \(a.wire), time \(a.time), number \(a.number) against libpcap's \(b.data.count), \(b.wire), \(b.time), \(b.number)")
        }
        #expect(myEnd == theirEnd, "\(label)")
        if gzip {
            let gz = path + ".gz"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "gzip -c '\(path)' > '\(gz)'"]
            try p.run()
            p.waitUntilExit()
            defer { try? FileManager.default.removeItem(atPath: gz) }
            let (zipped, zippedEnd, zippedClassic) = try ClassicPcapReaderTests.ours(gz)
            #expect(zippedClassic && zipped.count == theirs.count && zipped.elementsEqual(theirs) && zippedEnd == theirEnd, "\(label), gzip")
        }
    }

    @Test func everyByteOrderAndPrecisionReadsAsLibpcapReadsIt() throws {
        for swapped in [false, true] {
            for nano in [false, true] {
                let recs = ClassicPcapReaderTests.records(count: 300, seed: swapped ? 7 : 3, nanoseconds: nano, past2038: swapped)
                try compare(ClassicPcapReaderTests.file(swapped: swapped, nanoseconds: nano, recs), "swapped \(swapped) nano \(nano)",
                            gzip: !swapped && !nano)
            }
        }
    }

    /// Where it parts from libpcap on purpose: in a file of the machine's
    /// byte order libpcap reads the seconds as signed, so a time after
    /// January 2038 would come out before 1970; the format says unsigned.
    @Test func timesAfter2038AreAfter2038() throws {
        let recs = ClassicPcapReaderTests.records(count: 5, seed: 1, nanoseconds: false, past2038: true)
        let path = NSTemporaryDirectory() + "ocppscope-classic-2038-\(UUID().uuidString).pcap"
        try Data(ClassicPcapReaderTests.file(swapped: false, nanoseconds: false, recs)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (packets, end, _) = try ClassicPcapReaderTests.ours(path)
        #expect(end == "complete" && packets.count == 5)
        #expect(packets[3].time == 0xF000_0000 * 1_000_000 + Int64(recs[3].fraction))
        #expect(ClassicPcapReaderTests.libpcap(path).0[3].time < 0)
    }

    @Test func recordsLongerThanTheSnapLengthAreCutToIt() throws {
        let recs = ClassicPcapReaderTests.records(count: 60, seed: 11, nanoseconds: false)
        try compare(ClassicPcapReaderTests.file(swapped: false, nanoseconds: false, snapLength: 700, recs), "snap 700")
        try compare(ClassicPcapReaderTests.file(swapped: false, nanoseconds: false, snapLength: 0, recs), "snap 0")
    }

    @Test func cutAndDamagedFilesEndAsLibpcapSays() throws {
        let recs = ClassicPcapReaderTests.records(count: 40, seed: 5, nanoseconds: false)
        let whole = ClassicPcapReaderTests.file(swapped: false, nanoseconds: false, recs)
        // Cut in a record header, in a record's data, right after a record, right after the file header.
        let firstEnd = 24 + 16 + recs[0].data.count
        for cut in [24, firstEnd, firstEnd + 5, firstEnd + 16 + 3, whole.count - 1] {
            try compare(Array(whole.prefix(cut)), "cut at \(cut)")
        }
        // A captured length past libpcap's maximum in the third record.
        var damaged = whole
        var at = 24
        for r in recs.prefix(2) { at += 16 + r.data.count }
        let huge = UInt32(300_000)
        withUnsafeBytes(of: huge) { for k in 0..<4 { damaged[at + 8 + k] = $0[k] } }
        try compare(damaged, "caplen 300000")
    }

    /// Variants it leaves to libpcap: an old minor version and pcapng.
    @Test func otherVariantsStayWithLibpcap() throws {
        let recs = ClassicPcapReaderTests.records(count: 5, seed: 9, nanoseconds: false)
        let path = NSTemporaryDirectory() + "ocppscope-classic-old-\(UUID().uuidString).pcap"
        try Data(ClassicPcapReaderTests.file(swapped: false, nanoseconds: false, minor: 2, recs)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, _, classic) = try ClassicPcapReaderTests.ours(path)
        #expect(!classic)
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/fleet-small.pcapng").path
        #expect(try !PcapFileReader(path: sample).readsClassicPcap)
    }
}
