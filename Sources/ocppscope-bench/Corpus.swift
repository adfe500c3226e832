// The benchmark corpus: one large capture written by Synth, reused while its
// parameters stay the same.
//
// The file name carries every parameter that changes the bytes, and the file
// is written under a temporary name and renamed at the end, so a run that was
// interrupted never leaves a half capture that a later run would reuse.

import Foundation
import Synth

/// The knobs of a generated capture.
struct CorpusSpec: Sendable {
    var megabytes: Int
    var chargePoints: Int
    var seed: UInt64
    var compressedShare: Double
    var deflateLevel: Int32

    /// `fleet-250mb-500cp-s8-c50-l6`
    var baseName: String {
        "fleet-\(megabytes)mb-\(chargePoints)cp-s\(seed)-c\(Int((compressedShare * 100).rounded()))-l\(deflateLevel)"
    }

    var config: FleetConfig {
        var c = FleetConfig()
        c.name = baseName
        c.chargePoints = chargePoints
        c.seed = seed
        c.compressedShare = compressedShare
        c.deflateLevel = deflateLevel
        c.targetBytes = Int64(megabytes) * 1_000_000
        c.truth = .none
        c.format = .pcap
        c.link = .ethernet
        return c
    }

    /// Every server port the generator uses (tshark needs one `-d` per port
    /// to dissect WebSocket on a port that is not HTTP's).
    var serverPorts: [UInt16] {
        var seen = Set<UInt16>()
        return config.serverPorts.filter { seen.insert($0).inserted }
    }
}

/// A capture on disk.
struct Corpus: Sendable {
    var spec: CorpusSpec
    var path: String
    var bytes: Int64
}

enum CorpusBuilder {
    /// Returns the capture for `spec` in `directory`, generating it only when
    /// no finished file of the same parameters is there.
    static func capture(_ spec: CorpusSpec, in directory: String, log: @escaping (String) -> Void) throws -> Corpus {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + spec.baseName + ".pcap"
        if let size = fileSize(path) {
            log("reusing \(path) (\(formatMB(size)) MB)")
            return Corpus(spec: spec, path: path, bytes: size)
        }
        var config = spec.config
        config.name = spec.baseName + ".partial"
        log("generating \(path): \(spec.chargePoints) charge points, \(spec.megabytes) MB, \(Int(spec.compressedShare * 100))% compressed, deflate level \(spec.deflateLevel)")
        let clock = ContinuousClock()
        let started = clock.now
        let result = try FleetSimulator(config: config).run(outputDirectory: directory) { bytes in
            log("  … \(bytes / 1_000_000) MB")
        }
        let seconds = (clock.now - started).seconds
        guard let written = result.capturePath else { throw BenchError("the generator wrote no capture") }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: written, toPath: path)
        log(String(format: "  %d messages, %d connections, %d packets, %.1f s (%.1f MB/s)",
                   result.messages, result.connections, result.packets, seconds, Double(result.bytes) / 1e6 / seconds))
        return Corpus(spec: spec, path: path, bytes: result.bytes)
    }

    static func fileSize(_ path: String) -> Int64? {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attrs[.size] as? NSNumber else { return nil }
        return size.int64Value
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func formatMB(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
