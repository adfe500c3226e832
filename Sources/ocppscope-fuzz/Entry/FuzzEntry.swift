#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FuzzHarness

// libFuzzer's entry points. Built with `--sanitize fuzzer` (see scripts/fuzz.sh)
// libFuzzer supplies `main`; in a normal build this is an inert executable.
// One binary for every target: OCPPSCOPE_FUZZ_TARGET names the parser
// (FuzzHarness.targets). With OCPPSCOPE_FUZZ_SEEDS=DIR it writes that target's
// seed corpus (from the samples) into DIR and exits instead of fuzzing.

nonisolated(unsafe) private var selected = ""

private func say(_ s: String) {
    var s = s
    s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    guard let t = getenv("OCPPSCOPE_FUZZ_TARGET").map({ String(cString: $0) }), FuzzHarness.targets.contains(t) else {
        say("set OCPPSCOPE_FUZZ_TARGET to one of: \(FuzzHarness.targets.joined(separator: ", "))\n")
        exit(2)
    }
    selected = t
    if let dir = getenv("OCPPSCOPE_FUZZ_SEEDS").map({ String(cString: $0) }) {
        let samples = getenv("OCPPSCOPE_FUZZ_SAMPLES").map { String(cString: $0) } ?? "samples"
        let n = FuzzSeeds.write(target: t, into: dir, samples: samples)
        say("ocppscope-fuzz: \(n) seeds for \(t) in \(dir)\n")
        exit(n > 0 ? 0 : 1)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: size > 0 ? UnsafeRawPointer(data) : nil, count: size)
    FuzzHarness.run(selected, input)
    return 0
}
