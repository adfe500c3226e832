import CPcap
import Foundation
import Frames
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Packets from a live interface through libpcap, optionally written to
/// rotating pcap files so that nothing seen is lost.
///
/// The read loop wakes at least every `pollMilliseconds` (libpcap's buffer
/// timeout) even when no packet comes, so that the caller can commit and
/// notice a stop request promptly.
public final class LiveCapture: @unchecked Sendable {
    public struct Options: Sendable {
        public var interface: String
        public var filter: String?
        public var snaplen: Int32 = 262_144
        public var promiscuous = false
        public var pollMilliseconds: Int32 = 250
        /// Folder for raw packet files; nil writes none.
        public var writeDirectory: String?
        /// A new file once the current one reaches this size.
        public var rotateBytes: Int64 = 100 << 20
        public init(interface: String) { self.interface = interface }
    }

    public enum Failure: Error, CustomStringConvertible {
        case open(String)
        case filter(String)
        case write(String)
        public var description: String {
            switch self {
            case .open(let m): return m
            case .filter(let m): return "bad capture filter: \(m)"
            case .write(let m): return "cannot write packets: \(m)"
            }
        }
    }

    public let options: Options
    public let linkType: LinkType
    private let handle: OpaquePointer
    private var dumper: OpaquePointer?
    private var dumpIndex = 0
    public private(set) var writtenFiles: [String] = []
    private let stopRequested = Atomic<Bool>(false)
    private var selectable: Int32 = -1

    public init(_ options: Options) throws(Failure) {
        self.options = options
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        func message(_ e: [CChar]) -> String { String(decoding: e.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        guard let h = pcap_create(options.interface, &err) else { throw .open(message(err)) }
        pcap_set_snaplen(h, options.snaplen)
        pcap_set_promisc(h, options.promiscuous ? 1 : 0)
        pcap_set_timeout(h, options.pollMilliseconds)
        pcap_set_immediate_mode(h, 1)
        pcap_set_buffer_size(h, 16 << 20)
        pcap_set_tstamp_precision(h, Int32(PCAP_TSTAMP_PRECISION_MICRO))
        let rc = pcap_activate(h)
        if rc < 0 {
            let why = String(cString: pcap_geterr(h))
            pcap_close(h)
            let hint = rc == PCAP_ERROR_PERM_DENIED ? " — capturing needs root or the CAP_NET_RAW capability" :
                rc == PCAP_ERROR_NO_SUCH_DEVICE ? " — list interfaces with `ip link`" : ""
            throw .open("cannot capture on \(options.interface): \(why)\(hint)")
        }
        handle = h
        linkType = LinkType(dlt: pcap_datalink(h))
        // Non-blocking reads with poll(2): in immediate mode libpcap's own
        // timeout does not fire when no packet comes, and an idle interface
        // must still commit and notice a stop.
        pcap_setnonblock(h, 1, &err)
        selectable = pcap_get_selectable_fd(h)
        if let f = options.filter {
            var program = bpf_program()
            guard pcap_compile(h, &program, f, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let why = String(cString: pcap_geterr(h))
                pcap_close(h)
                throw .filter("\(f): \(why)")
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(h, &program) == 0 else {
                let why = String(cString: pcap_geterr(h))
                pcap_close(h)
                throw .filter(why)
            }
        }
        if let dir = options.writeDirectory {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                pcap_close(h)
                throw .write("\(dir): \(error.localizedDescription)")
            }
            try openDump()
        }
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        pcap_close(handle)
    }

    /// Asks the loop to stop; safe from a signal handler's queue or any thread.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        pcap_breakloop(handle)
    }

    public var stopping: Bool { stopRequested.load(ordering: .relaxed) }

    private func openDump() throws(Failure) {
        guard let dir = options.writeDirectory else { return }
        if let dumper { pcap_dump_close(dumper) }
        dumpIndex += 1
        let stamp = Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).iso8601
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let path = (dir as NSString).appendingPathComponent("ocppscope-\(options.interface)-\(stamp)-\(String(format: "%04d", dumpIndex)).pcap")
        guard let d = pcap_dump_open(handle, path) else { throw .write(String(cString: pcap_geterr(handle))) }
        dumper = d
        writtenFiles.append(path)
    }

    /// Reads packets until `stop()`; calls `packet` for each and `tick` at
    /// least every poll interval. Returns the number of packets read.
    @discardableResult
    public func run(packet: (UnsafeRawBufferPointer, _ wireLength: Int, Timestamp, _ number: Int64) -> Void,
                    tick: () -> Void) throws(Failure) -> Int64 {
        var number: Int64 = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<u_char>?
        while !stopping {
            let rc = pcap_next_ex(handle, &header, &data)
            if rc == 1, let h = header, let data {
                number += 1
                if let dumper {
                    pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: u_char.self), h, data)
                    if pcap_dump_ftell64(dumper) >= options.rotateBytes { try openDump() }
                }
                let t = Timestamp(seconds: Int64(h.pointee.ts.tv_sec), microseconds: Int64(h.pointee.ts.tv_usec))
                packet(UnsafeRawBufferPointer(start: data, count: Int(h.pointee.caplen)), Int(h.pointee.len), t, number)
                if number & 0xFF == 0 { tick() }
            } else if rc == 0 || rc == PCAP_ERROR_BREAK {
                if rc == 0 && selectable >= 0 {
                    var fd = pollfd(fd: selectable, events: Int16(POLLIN), revents: 0)
                    _ = poll(&fd, 1, options.pollMilliseconds)
                }
                tick()
            } else {
                throw .open("capture stopped: \(String(cString: pcap_geterr(handle)))")
            }
        }
        if let dumper { pcap_dump_flush(dumper) }
        return number
    }

    /// Packets the kernel dropped (buffer full) since the start, if known.
    public var droppedByKernel: UInt32? {
        var st = pcap_stat()
        return pcap_stats(handle, &st) == 0 ? st.ps_drop : nil
    }
}
