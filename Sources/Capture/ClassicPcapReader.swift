#if canImport(Glibc)
import Glibc
#endif
import Frames

/// Reads the records of a classic pcap file (not pcapng) from a stdio
/// stream, in blocks of 256 KiB read into a ByteQueue, handing out each
/// packet where it lies there.
///
/// Why not libpcap here, which reads everything else: it reads every record
/// with two small `fread`s, and that was 128 M of the 1.33 G instructions of
/// `decode`'s packet thread on the 40 MB benchmark capture (some 450 per
/// packet), the largest cost of that thread after zlib. The packet thread
/// bounds `decode`'s speed on two cores. pcapng, and pcap variants other
/// than the four standard magic numbers, still go through libpcap.
///
/// What it accepts and reports is libpcap's (sf-pcap.c): the magic numbers
/// a1b2c3d4 (microseconds) and a1b23c4d (nanoseconds) in either byte order,
/// version 2.4; a record whose captured length exceeds 262,144 bytes is an
/// error; one longer than the file's snap length is cut to it; a record cut
/// short by the end of the file is a truncation.
final class ClassicPcapReader {
    /// The file header's fields.
    struct Header {
        var swapped: Bool
        var nanoseconds: Bool
        var snapLength: UInt32
        /// The DLT value libpcap would report (`pcap_datalink`).
        var dlt: Int32
    }

    /// libpcap's largest snap length (MAXIMUM_SNAPLEN).
    static let maximumSnapLength = 262_144

    private let file: UnsafeMutablePointer<FILE>
    private let header: Header
    /// Bytes a packet may have: the snap length, or libpcap's maximum when
    /// the header's is 0 or above it.
    private let snapshot: Int
    /// What has been read and not yet handed out.
    private let queue = ByteQueue()
    /// Bytes asked of the file per read.
    private static let block = 256 * 1024
    private var atEOF = false
    private var readError: Int32 = 0

    /// The header of a classic pcap file from its first 24 bytes, or nil
    /// when they are not one (pcapng, another variant, or not a capture).
    static func header(_ b: UnsafeRawBufferPointer) -> Header? {
        guard b.count >= 24 else { return nil }
        let magic = b.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        let swapped: Bool, nanoseconds: Bool
        switch magic {
        case 0xA1B2_C3D4: swapped = false; nanoseconds = false
        case 0xD4C3_B2A1: swapped = true; nanoseconds = false
        case 0xA1B2_3C4D: swapped = false; nanoseconds = true
        case 0x4D3C_B2A1: swapped = true; nanoseconds = true
        default: return nil
        }
        func u16(_ at: Int) -> UInt16 {
            let v = b.loadUnaligned(fromByteOffset: at, as: UInt16.self)
            return swapped ? v.byteSwapped : v
        }
        func u32(_ at: Int) -> UInt32 {
            let v = b.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            return swapped ? v.byteSwapped : v
        }
        // Version 2.4, what every writer since 1998 writes; libpcap reads the
        // older ones too (swapping some lengths), so they are left to it.
        guard u16(4) == 2, u16(6) == 4 else { return nil }
        // The link type is the low 26 bits (the rest may carry the FCS length).
        let linkType = u32(20) & 0x03FF_FFFF
        return Header(swapped: swapped, nanoseconds: nanoseconds, snapLength: u32(16), dlt: dlt(linkType: linkType))
    }

    /// LINKTYPE_ values (files) to DLT_ values (libpcap's API) where they
    /// differ for the types LinkType knows or names.
    private static func dlt(linkType: UInt32) -> Int32 {
        switch linkType {
        case 101: return 12   // LINKTYPE_RAW → DLT_RAW
        case 100: return 11   // LINKTYPE_ATM_RFC1483 → DLT_ATM_RFC1483
        default: return Int32(bitPattern: linkType)
        }
    }

    /// Takes `file` (positioned after the 24-byte header) and closes it at the end.
    init(file: UnsafeMutablePointer<FILE>, header: Header) {
        self.file = file
        self.header = header
        let snap = Int(header.snapLength)
        snapshot = snap == 0 || snap > ClassicPcapReader.maximumSnapLength ? ClassicPcapReader.maximumSnapLength : snap
    }

    deinit { fclose(file) }

    var dlt: Int32 { header.dlt }

    /// The stream's position, for progress on plain files.
    var fileOffset: Int64 { Int64(ftell(file)) }

    /// Makes at least `n` bytes available in the queue; false when the
    /// file ends (or fails) first.
    private func fill(_ n: Int) -> Bool {
        while queue.count < n {
            if atEOF { return false }
            let got = queue.append(reading: max(ClassicPcapReader.block, n - queue.count)) { fread($0, 1, $1, file) }
            if got == 0 {
                atEOF = true
                if ferror(file) != 0 { readError = errno == 0 ? EIO : errno }
            }
        }
        return true
    }

    private func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        let v = b.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return header.swapped ? v.byteSwapped : v
    }

    /// Calls `body` for every packet, in file order, numbered from 1.
    /// The buffer is valid only during the call.
    func forEach(_ body: (UnsafeRawBufferPointer, _ wireLength: Int, Timestamp, _ number: Int64) -> Void) -> CaptureEnd {
        var number: Int64 = 0
        while true {
            guard fill(16) else {
                if readError != 0 { return .failed(afterPacket: number, message: "error reading dump file: \(String(cString: strerror(readError)))") }
                let got = queue.count
                if got == 0 { return .complete }
                return .truncated(afterPacket: number, message: "truncated dump file; tried to read 16 header bytes, only got \(got)")
            }
            let (seconds, fraction, captured, wire) = queue.withBytes { b in
                (u32(b, 0), u32(b, 4), Int(u32(b, 8)), Int(u32(b, 12)))
            }
            guard captured <= ClassicPcapReader.maximumSnapLength else {
                let limit = captured > snapshot ? "snaplen of \(snapshot)" : "maximum of \(ClassicPcapReader.maximumSnapLength)"
                return .failed(afterPacket: number, message: "invalid packet capture length \(captured), bigger than \(limit)")
            }
            guard fill(16 + captured) else {
                if readError != 0 { return .failed(afterPacket: number, message: "error reading dump file: \(String(cString: strerror(readError)))") }
                return .truncated(afterPacket: number, message: "truncated dump file; tried to read \(captured) captured bytes, only got \(queue.count - 16)")
            }
            number += 1
            // Unsigned, as the format defines them and libpcap reads a file of
            // the other byte order (in its own it reads them signed, so that
            // times after January 2038 come out before 1970 there).
            let t = Timestamp(seconds: Int64(seconds),
                              microseconds: header.nanoseconds ? Int64(fraction) / 1000 : Int64(fraction))
            queue.withBytes { b in body(UnsafeRawBufferPointer(rebasing: b[16..<(16 + min(captured, snapshot))]), wire, t, number) }
            queue.consume(16 + captured)
        }
    }
}
