#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file and keeps reading as it grows, like `tail -F`.
///
/// Log files are rotated under a running reader in two ways, and both are
/// survived: renamed away and recreated (the path now names another inode:
/// the old file is read to its end, then the new one from its start), or
/// truncated in place (`copytruncate`: the size drops below what was read,
/// so reading restarts at 0). A path that briefly does not exist (between a
/// rename and the create) is waited for.
///
/// At the end of the data it answers `.idle`; the next read waits one poll
/// interval first, so a caller can do its idle work (flush, commit) between.
/// `shouldStop` is asked at every idle point: reading ends cleanly there.
public final class FollowSource: ByteSource {
    public let path: String
    private var fd: Int32 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    private var offset: Int64 = 0
    private var wasIdle = false
    private let pollMicroseconds: UInt32
    private let shouldStop: () -> Bool
    public private(set) var bytesConsumed: Int64 = 0
    /// How many times the file was replaced or truncated under the reader.
    public private(set) var rotations = 0
    public private(set) var truncations = 0
    public var tap: ((UnsafeRawBufferPointer) -> Void)?

    public init(path: String, pollMilliseconds: Int = 200, shouldStop: @escaping () -> Bool) throws(LogInputError) {
        self.path = path
        self.pollMicroseconds = UInt32(max(1, pollMilliseconds) * 1000)
        self.shouldStop = shouldStop
        guard openPath() else { throw .unreadable(path, String(cString: strerror(errno))) }
    }

    deinit { if fd >= 0 { close(fd) } }

    private func openPath() -> Bool {
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        var st = stat()
        guard fstat(f, &st) == 0 else { close(f); return false }
        if fd >= 0 { close(fd) }
        fd = f
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        offset = 0
        return true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> ReadResult {
        while true {
            if wasIdle {
                wasIdle = false
                usleep(pollMicroseconds)
            }
            if fd >= 0 {
                #if canImport(Glibc)
                let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
                #else
                let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
                #endif
                if n > 0 {
                    offset += Int64(n)
                    bytesConsumed += Int64(n)
                    tap?(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                    return .bytes(n)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .unreadable(path, String(cString: strerror(errno)))
                }
            }
            // At the end of what is there now.
            if shouldStop() { return .end }
            var st = stat()
            if stat(path, &st) == 0, UInt64(st.st_dev) != device || UInt64(st.st_ino) != inode {
                // Rotated: the old file was read to its end above; go on with the new one.
                if openPath() { rotations += 1; continue }
            }
            if fd >= 0, fstat(fd, &st) == 0, Int64(st.st_size) < offset {
                // Truncated in place: start again from the top.
                lseek(fd, 0, SEEK_SET)
                offset = 0
                truncations += 1
                continue
            }
            wasIdle = true
            return .idle
        }
    }
}

/// Ctrl-C and SIGTERM as a request to stop following, checked at idle points,
/// so that what was read is committed before the process exits.
public enum StopSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Replaces the default handlers of SIGINT and SIGTERM (which would kill
    /// the process mid-transaction) with one that sets a flag, and unblocks
    /// them on this thread: a process started with them blocked (a parent's
    /// mask is inherited, as a test runner's or a supervisor's can be) would
    /// otherwise never stop.
    public static func install() {
        signal(SIGINT) { _ in StopSignal.flag = 1 }
        signal(SIGTERM) { _ in StopSignal.flag = 1 }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    public static var requested: Bool { flag != 0 }

    /// For tests and embedding: ask the readers to stop as a signal would.
    public static func request() { flag = 1 }
    public static func reset() { flag = 0 }
}
