import Foundation

/// Gives the calling thread its name in the operating system too, as `top -H`,
/// `perf` and /proc/PID/task/TID/comm show it (at most 15 bytes on Linux).
///
/// Why: Foundation's `Thread.name` stays inside Foundation on Linux, so every
/// thread of an ingest showed as `ocppscope`, and which of the decoding
/// pass's three threads was the busiest could not be told from outside.
/// (pthread_setname_np is not imported by Swift's Glibc module; the kernel
/// takes the name from /proc/thread-self/comm as well.)
private func nameThisThread(_ name: String) {
    #if os(Linux)
    let fd = open("/proc/thread-self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    #endif
}

/// Starts `body` on a new thread called `name`, both for Foundation and for
/// the operating system.
public func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        nameThisThread(name)
        body()
    }
    thread.name = name
    thread.start()
}
