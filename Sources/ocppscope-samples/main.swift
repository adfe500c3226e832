// ocppscope-samples: writes synthetic OCPP captures (and their truth files)
// with the Synth encoder. With no arguments it regenerates the bundled
// samples in samples/ byte for byte.

import ArgumentParser
import Foundation
import Synth

@main
struct Samples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocppscope-samples",
        abstract: "Generate synthetic OCPP-J packet captures with a truth file.",
        discussion: """
        Without options, regenerates the bundled samples deterministically:
          samples/fleet-small.pcap    classic pcap, Ethernet
          samples/fleet-small.pcapng  pcapng, Linux cooked v2 (SLL2)
        each with <name>.truth.json describing what the capture contains.

        Examples:
          swift run ocppscope-samples
          swift run ocppscope-samples --out /tmp/c --name day --charge-points 40 --hours 24
          swift run -c release ocppscope-samples --out bench-out --name big --charge-points 500 --target-mb 1000 --no-truth
          swift run ocppscope-samples --out /tmp/c --format pcapng --link ethernet-vlan --compressed-share 1
          swift run -c release ocppscope-samples --out /tmp/c --name churn --charge-points 500 --target-mb 100 --churn 120 --no-truth
        """)

    @Option(help: "Output directory.")
    var out: String = "samples"

    @Option(help: "Base name of the files (default: the bundled samples).")
    var name: String?

    @Option(name: .customLong("charge-points"), help: "Number of charge points.")
    var chargePoints: Int?

    @Option(help: "Simulated hours.")
    var hours: Double?

    @Option(help: "Seed of the deterministic generator.")
    var seed: UInt64?

    @Option(help: "Capture format: pcap or pcapng.")
    var format: String?

    @Option(help: "Link layer: ethernet, ethernet-vlan, ethernet-qinq, sll, sll2, raw, loopback.")
    var link: String?

    @Option(name: .customLong("target-mb"), help: "Keep simulating until the capture holds this many MB (10^6 bytes).")
    var targetMB: Double?

    @Option(name: .customLong("compressed-share"), help: "Share of charge points using permessage-deflate (0...1).")
    var compressedShare: Double?

    @Option(name: .customLong("deflate-level"), help: "zlib level for permessage-deflate (1...9, default 6).")
    var deflateLevel: Int32?

    @Option(name: .customLong("late-start"), help: "Start the capture this many seconds after the connections open.")
    var lateStart: Int64?

    @Option(help: "Mean seconds a connection lasts before the charge point is reset and reconnects (default: the whole run).")
    var churn: Double?

    @Flag(name: .customLong("no-truth"), help: "Do not write a truth file.")
    var noTruth = false

    @Flag(name: .customLong("counts-only"), help: "Truth file with counts only (no per-record lists).")
    var countsOnly = false

    mutating func validate() throws {
        if let f = format, CaptureFormat(rawValue: f) == nil { throw ValidationError("--format must be pcap or pcapng") }
        if let s = compressedShare, !(0...1).contains(s) { throw ValidationError("--compressed-share must be between 0 and 1") }
        if let l = link, Samples.linkLayer(l) == nil { throw ValidationError("unknown --link \(l)") }
        if let d = deflateLevel, !(1...9).contains(d) { throw ValidationError("--deflate-level must be 1...9") }
        if let n = chargePoints, n < 1 { throw ValidationError("--charge-points must be at least 1") }
        if let c = churn, !(c > 0) { throw ValidationError("--churn must be more than 0 seconds") }
    }

    static func linkLayer(_ s: String) -> LinkLayer? {
        switch s {
        case "ethernet": return .ethernet
        case "ethernet-vlan": return .ethernet(vlans: [100])
        case "ethernet-qinq": return .ethernet(vlans: [200, 100])
        case "sll": return .linuxSLL
        case "sll2": return .linuxSLL2
        case "raw": return .rawIP
        case "loopback": return .bsdLoopback
        default: return nil
        }
    }

    var isDefaultRun: Bool {
        name == nil && chargePoints == nil && hours == nil && seed == nil && format == nil && link == nil
            && targetMB == nil && compressedShare == nil && lateStart == nil && deflateLevel == nil && churn == nil && !noTruth && !countsOnly
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var configs: [FleetConfig] = []
        if isDefaultRun {
            configs = [FleetConfig.sample(format: .pcap), FleetConfig.sample(format: .pcapng)]
        } else {
            let fmt = format.flatMap(CaptureFormat.init(rawValue:)) ?? .pcap
            var c = FleetConfig.sample(format: fmt)
            c.name = name ?? "synth"
            if let n = chargePoints { c.chargePoints = n }
            if let h = hours { c.durationSeconds = Int64(h * 3600) }
            if let s = seed { c.seed = s }
            if let l = link { c.link = Samples.linkLayer(l)! }
            if let s = compressedShare { c.compressedShare = s }
            if let l = lateStart { c.captureStartOffsetSeconds = l }
            if let d = deflateLevel { c.deflateLevel = d }
            c.churnMeanSeconds = churn
            if let mb = targetMB {
                c.targetBytes = Int64(mb * 1_000_000)
                if !noTruth { c.truth = .counts }
            }
            if countsOnly { c.truth = .counts }
            if noTruth { c.truth = .none }
            configs = [c]
        }
        for c in configs {
            let started = Date()
            let sim = FleetSimulator(config: c)
            let result = try sim.run(outputDirectory: out) { bytes in
                FileHandle.standardError.write(Data("  … \(bytes / 1_000_000) MB\n".utf8))
            }
            let seconds = Date().timeIntervalSince(started)
            print("\(result.capturePath ?? "?"): \(result.bytes) bytes, \(result.packets) packets, \(c.format.rawValue)/\(c.link.name)")
            if let t = result.truthPath {
                let size = (try? FileManager.default.attributesOfItem(atPath: t)[.size] as? Int) ?? 0
                print("\(t): \(size) bytes")
            }
            let types = result.byType.keys.sorted().map { "\($0) \(result.byType[$0]!)" }.joined(separator: ", ")
            print("  \(result.messages) OCPP messages (\(types)), \(result.connections) connections, \(result.transactions) transactions, \(result.simulatedSeconds / 60) min simulated, \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", Double(result.bytes) / 1e6 / max(seconds, 1e-9))) MB/s)")
        }
    }
}
