import Foundation
import Testing
import FuzzHarness

/// Replays every input under Tests/FuzzRegressions/<target>/ (crashes found by
/// scripts/fuzz.sh, kept after their fix) through the same code as the fuzz
/// target of that name; a crash here fails the test run.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzRegressions")

    static func inputs() -> [(String, URL)] {
        var out: [(String, URL)] = []
        for target in FuzzHarness.targets {
            let dir = root.appendingPathComponent(target)
            let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
            for f in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where !f.lastPathComponent.hasPrefix(".") {
                out.append((target, f))
            }
        }
        return out
    }

    @Test func everyRegressionFolderNamesATarget() throws {
        let dirs = (try? FileManager.default.contentsOfDirectory(atPath: Self.root.path)) ?? []
        for d in dirs where !d.hasPrefix(".") && d != "README.md" {
            #expect(FuzzHarness.targets.contains(d), "Tests/FuzzRegressions/\(d) is not a fuzz target")
        }
    }

    @Test func regressionInputsReplayWithoutCrashing() throws {
        for (target, file) in Self.inputs() {
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(FuzzHarness.run(target, bytes), "\(file.lastPathComponent)")
        }
    }

    /// Every target runs on a few trivial inputs (so the harness itself stays
    /// exercised in a normal `swift test`, even with no regression file).
    @Test(arguments: FuzzHarness.targets)
    func targetRunsOnTrivialInputs(_ target: String) {
        for input: [UInt8] in [[], [0], [1, 0, 4, 0x41, 0x42], Array(#"[2,"1","Heartbeat",{}]"#.utf8), [UInt8](repeating: 0xFF, count: 300)] {
            #expect(FuzzHarness.run(target, input))
        }
    }
}
