import CPcap
import CGzipFile
import Frames
#if canImport(Glibc)
import Glibc
#endif

/// Why a capture could not be read at all.
public enum CaptureOpenError: Error, CustomStringConvertible {
    /// The file is not pcap or pcapng (it may be a log: the caller decides).
    case notACapture(path: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notACapture(let path, let reason): return "\(path): not a pcap or pcapng capture (\(reason))"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        }
    }
}

/// How reading a capture ended.
public enum CaptureEnd: Sendable, Equatable {
    case complete
    /// The file ends in the middle of a record: everything before is kept.
    case truncated(afterPacket: Int64, message: String)
    case failed(afterPacket: Int64, message: String)
}

/// Reads packets from a pcap or pcapng file, plain or gzip-compressed, as a
/// stream: classic pcap with ClassicPcapReader, everything else through
/// libpcap.
public final class PcapFileReader {
    public let path: String
    public let linkType: LinkType
    public let dlt: Int32
    public let compressed: Bool
    /// Size of the file on disk (compressed size for .gz).
    public let fileSize: Int64
    public let isPcapng: Bool
    private var handle: OpaquePointer?
    private var classic: ClassicPcapReader?
    /// Whether the records are read by ClassicPcapReader (else libpcap).
    var readsClassicPcap: Bool { classic != nil }
    private var gzip = ocs_gzip_stream(file: nil, cookie: nil)

    public init(path: String) throws(CaptureOpenError) {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        fileSize = Int64(st.st_size)
        // gzip by content (1f 8b), never by name.
        var magic = [UInt8](repeating: 0, count: 4)
        guard let f = fopen(path, "rb") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let got = fread(&magic, 1, 4, f)
        fclose(f)
        compressed = got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B
        if let (reader, stream) = PcapFileReader.openClassic(path, compressed: compressed) {
            classic = reader
            gzip = stream
            dlt = reader.dlt
            linkType = LinkType(dlt: dlt)
            isPcapng = false
            return
        }
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        if compressed {
            guard ocs_gzip_open(path, &gzip) == 0, let file = gzip.file else {
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            handle = pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errbuf)
            if handle == nil { fclose(file); gzip = ocs_gzip_stream(file: nil, cookie: nil) }
        } else {
            handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errbuf)
        }
        guard let handle else {
            let reason = String(decoding: errbuf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if reason.contains("different from the type of the first interface") {
                throw .unreadable(path: path, reason: reason + " — libpcap cannot read a pcapng whose interfaces have different link types; split it per interface (e.g. `tshark -r FILE -Y 'frame.interface_id==0' -w part0.pcapng`) and ingest the parts")
            }
            if got < 4 || reason.contains("unknown file format") || reason.contains("truncated dump file") && got < 4 {
                throw .notACapture(path: path, reason: reason)
            }
            throw .notACapture(path: path, reason: reason)
        }
        dlt = pcap_datalink(handle)
        linkType = LinkType(dlt: dlt)
        // pcapng starts with the Section Header Block type 0x0A0D0D0A; for
        // .gz the first bytes are gzip's, so ask the decompressed stream.
        isPcapng = compressed ? PcapFileReader.gzipHoldsPcapng(path) : (got >= 4 && magic == [0x0A, 0x0D, 0x0D, 0x0A])
    }

    /// A ClassicPcapReader over the file (through the gzip stream when
    /// compressed) when its header is one it reads, else nil (and nothing
    /// is left open).
    private static func openClassic(_ path: String, compressed: Bool) -> (ClassicPcapReader, ocs_gzip_stream)? {
        var stream = ocs_gzip_stream(file: nil, cookie: nil)
        let file: UnsafeMutablePointer<FILE>
        if compressed {
            guard ocs_gzip_open(path, &stream) == 0, let f = stream.file else { return nil }
            file = f
        } else {
            guard let f = fopen(path, "rb") else { return nil }
            file = f
        }
        var head = [UInt8](repeating: 0, count: 24)
        let n = fread(&head, 1, 24, file)
        guard n == 24, let header = head.withUnsafeBytes({ ClassicPcapReader.header($0) }) else {
            fclose(file)
            return nil
        }
        return (ClassicPcapReader(file: file, header: header), stream)
    }

    private static func gzipHoldsPcapng(_ path: String) -> Bool {
        var s = ocs_gzip_stream(file: nil, cookie: nil)
        guard ocs_gzip_open(path, &s) == 0, let f = s.file else { return false }
        defer { fclose(f) }
        var m = [UInt8](repeating: 0, count: 4)
        return fread(&m, 1, 4, f) == 4 && m == [0x0A, 0x0D, 0x0D, 0x0A]
    }

    deinit {
        if let handle { pcap_close(handle) } // closes the gzip FILE* too
    }

    /// Bytes of the file consumed so far (compressed bytes for .gz), for progress.
    public var bytesConsumed: Int64 {
        guard classic != nil || handle != nil else { return fileSize }
        if compressed {
            let n = withUnsafePointer(to: gzip) { ocs_gzip_consumed($0) }
            return n < 0 ? 0 : Int64(n)
        }
        if let classic { return classic.fileOffset }
        guard let handle, let f = pcap_file(handle) else { return 0 }
        return Int64(ftell(f))
    }

    /// Calls `body` for every packet, in file order, numbered from 1.
    /// The buffer is valid only during the call.
    public func forEach(_ body: (UnsafeRawBufferPointer, _ wireLength: Int, Timestamp, _ number: Int64) -> Void) -> CaptureEnd {
        if let classic { return classic.forEach(body) }
        guard let handle else { return .complete }
        var number: Int64 = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<u_char>?
        while true {
            let rc = pcap_next_ex(handle, &header, &data)
            if rc == 1, let h = header?.pointee, let data {
                number += 1
                let t = Timestamp(seconds: Int64(h.ts.tv_sec), microseconds: Int64(h.ts.tv_usec))
                body(UnsafeRawBufferPointer(start: data, count: Int(h.caplen)), Int(h.len), t, number)
            } else if rc == PCAP_ERROR_BREAK || rc == -2 {
                return .complete
            } else {
                let message = String(cString: pcap_geterr(handle))
                if message.contains("truncated") || message.contains("cut short") {
                    return .truncated(afterPacket: number, message: message)
                }
                return .failed(afterPacket: number, message: message)
            }
        }
    }
}
