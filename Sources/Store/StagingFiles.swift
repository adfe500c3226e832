import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Private staging files (SQLite databases in the temporary folder: the
/// history's beside the index builds, an ingest's in front of PostgreSQL)
/// that a process killed before its end leaves behind, found and removed by
/// the next process that makes one.
///
/// Why a lock and not a pid in the name: a pid says nothing across the pid
/// namespaces (containers) that may share a temporary folder, and a pid is
/// reused. Each staging file is held with `flock` by the process that made
/// it for as long as it lives; the kernel drops the lock when that process
/// ends, however it ends. A file of a sweepable purpose that can be locked
/// is nobody's. (flock, not SQLite's fcntl locks: those belong to the
/// process, and closing any descriptor of the file drops them all; this
/// process never opens a file it made itself for the sweep.)
///
/// A live capture's staging file is not swept: it may be kept on purpose,
/// for the user to read, when PostgreSQL failed (LiveTarget).
public enum StagingFiles {
    /// The purposes whose files nobody keeps once their process has ended.
    public static let sweptPurposes: Set<String> = ["history", "ingest"]

    /// This process's own files and the descriptors holding their locks.
    nonisolated(unsafe) private static var held: [String: Int32] = [:]
    private static let lock = NSLock()

    /// A new path `ocppscope-PURPOSE-UUID.sqlite` in `directory` (by default
    /// the temporary folder), its file made and locked for this process;
    /// stale files of the swept purposes there are removed first. Why made
    /// here, under another name first: a file found by a sweep between its
    /// making and its locking would be taken for a stale one.
    public static func make(_ purpose: String, in directory: String? = nil) -> String {
        let folder = directory ?? FileManager.default.temporaryDirectory.path
        sweep(folder)
        let name = "ocppscope-\(purpose)-\(UUID().uuidString).sqlite"
        let path = (folder as NSString).appendingPathComponent(name)
        let making = (folder as NSString).appendingPathComponent(".\(name).making")
        // A file that cannot be held gets a name no sweep takes.
        func unheld() -> String {
            (folder as NSString).appendingPathComponent("ocppscope-\(purpose)-unheld-\(UUID().uuidString).sqlite")
        }
        let fd = open(making, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        // Without a file of its own (a folder that cannot hold one), the
        // caller's open reports the problem, as before.
        guard fd >= 0 else { return unheld() }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 || rename(making, path) != 0 {
            close(fd)
            unlink(making)
            return unheld()
        }
        lock.lock()
        held[path] = fd
        lock.unlock()
        return path
    }

    /// Lets go of a file of this process (its lock), once it is removed.
    static func release(_ path: String) {
        lock.lock()
        let fd = held.removeValue(forKey: path)
        lock.unlock()
        if let fd { close(fd) }
    }

    /// Removes the files of the swept purposes in `folder` that no process
    /// holds (with their WAL, shared-memory and journal files). Returns
    /// how many it removed.
    @discardableResult
    public static func sweep(_ folder: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where isSwept(name) {
            let path = (folder as NSString).appendingPathComponent(name)
            lock.lock()
            let ours = held[path] != nil
            lock.unlock()
            guard !ours else { continue }
            let fd = open(path, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                // Still locked by this descriptor, so no one can take it meanwhile.
                Store.removeFiles(atPath: path)
                removed += 1
            }
            close(fd)
        }
        return removed
    }

    /// `ocppscope-PURPOSE-UUID.sqlite` for a swept purpose. Not the name a
    /// file has while it is made (`.NAME.making`): between its making and
    /// its locking a sweep would take it for a stale one, and the process
    /// making it would go on with a file of its own that nothing holds,
    /// there for the next sweep to remove under it. (A process killed in
    /// that instant leaves an empty file of that name.)
    static func isSwept(_ name: String) -> Bool {
        guard name.hasPrefix("ocppscope-"), name.hasSuffix(".sqlite") else { return false }
        let middle = name.dropFirst("ocppscope-".count).dropLast(".sqlite".count)
        guard let dash = middle.firstIndex(of: "-") else { return false }
        return sweptPurposes.contains(String(middle[..<dash])) && UUID(uuidString: String(middle[middle.index(after: dash)...])) != nil
    }
}
