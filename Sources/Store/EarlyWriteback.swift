import Foundation
import Frames

/// Has the kernel write a database file's pages to disk while a long
/// transaction is still writing them, so that the commit's own sync finds
/// little left to write.
///
/// Why: a bulk load into an empty database writes its pages to the file as
/// SQLite's cache spills, but Linux starts writing dirty pages back only
/// when they are 30 s old or a tenth of memory; so the commit's fsync wrote
/// the whole load (350 MB for the 250 MB benchmark capture) while both cores
/// waited: 0.47 to 0.74 s of wall time at the commit, against 0.12 to 0.15 s
/// with the file synced every 0.3 s during the load (measured with `sync -d`
/// beside the ingest). The extra syncs change nothing of what a commit
/// guarantees: SQLite still syncs at the commit as before.
///
/// The file is synced through SQLite's own descriptor of it, found in
/// /proc/self/fd (Linux only; elsewhere this does nothing): a descriptor of
/// our own would have to be closed, and closing any descriptor of a file
/// drops the POSIX locks the process holds on it, SQLite's included. It is
/// used only while the transaction is open, when SQLite keeps it open.
final class EarlyWriteback: @unchecked Sendable {
    /// How often the file is synced during the load.
    static let interval: TimeInterval = 0.25

    private let stopSignal = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private var running = true
    private let counter = SyncCounter()
    /// Syncs done so far (read after `stop`).
    var syncs: Int { counter.value }

    private final class SyncCounter: @unchecked Sendable { var value = 0 }

    /// Starts syncing `path` in the background; nil where its descriptor cannot be found.
    init?(path: String) {
        guard let fd = EarlyWriteback.descriptor(of: path) else { return nil }
        let stopSignal = self.stopSignal, stopped = self.stopped, counter = self.counter
        startThread(named: "db-writeback") {
            while stopSignal.wait(timeout: .now() + EarlyWriteback.interval) == .timedOut {
                if fdatasync(fd) == 0 { counter.value += 1 }
            }
            stopped.signal()
        }
    }

    /// Stops the syncing and waits for the thread (before the commit, which
    /// may close or reuse the descriptor afterwards).
    func stop() {
        guard running else { return }
        running = false
        stopSignal.signal()
        stopped.wait()
    }

    deinit { stop() }

    /// The lowest open descriptor of this process that refers to `path`.
    static func descriptor(of path: String) -> Int32? {
        #if os(Linux)
        let want = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        let found = entries.compactMap { Int32($0) }.sorted().first { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) == want
        }
        return found
        #else
        return nil
        #endif
    }
}
