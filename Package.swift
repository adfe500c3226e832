// swift-tools-version: 6.0
// ocppscope: OCPP traffic from packet captures and logs into a queryable history.
// The targets follow DESIGN: one job each, data flowing left to right
// (Capture → OCPP → Store), the executable only wiring them.
import PackageDescription

/// Release builds skip Swift's run-time exclusivity checks (debug builds and
/// the tests keep them, so a conflicting access still fails there). Why: in
/// callgrind on the 10 MB benchmark corpus, `swift_beginAccess` and its
/// access set were 7.4% of `decode`'s instructions and 3% of `ingest`'s,
/// spent on the decoders' own class state, which one thread owns at a time.
let releaseSpeed: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "ocppscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ocppscope", targets: ["ocppscope"]),
        .executable(name: "ocppscope-samples", targets: ["ocppscope-samples"]),
        .executable(name: "ocppscope-bench", targets: ["ocppscope-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The PostgreSQL store (--db postgresql://…): a maintained client, COPY for bulk loads.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SQLite itself, built into the binary (SQLite 3.54 of sqlite-nio's VaporCSQLite), not the
        // system's library: see Sources/Store/SQLite.swift for why and what was measured.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
    ],
    targets: [
        // C libraries of the system, reached through module maps.
        .systemLibrary(name: "CPcap", path: "Sources/CPcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // jemalloc as the command's memory allocator (Sources/ocppscope/MemoryAllocator.swift says why).
        .systemLibrary(name: "CJemalloc", path: "Sources/CJemalloc", providers: [.apt(["libjemalloc-dev"])]),
        // gzip-or-plain FILE* for libpcap (fopencookie needs _GNU_SOURCE, which Swift cannot set).
        .target(name: "CGzipFile", dependencies: ["CZlib"], path: "Sources/CGzipFile"),
        // A JSON value's end found sixteen bytes a step (SSE2), for the log reader (FlatJSON.nestedEnd says why).
        .target(name: "CByteScan", path: "Sources/CByteScan"),

        // The seam between inputs and meaning: OCPPFrame, decode issues, time.
        .target(name: "Frames", swiftSettings: releaseSpeed),
        // Packets to OCPP-J text: pcap/pcapng(.gz), link/IP/TCP, HTTP upgrade, WebSocket, deflate.
        .target(name: "Capture", dependencies: ["Frames", "CPcap", "CZlib", "CGzipFile"], swiftSettings: releaseSpeed),
        // Log lines to OCPP-J frames: files, gzip, stdin, follow; format detection.
        .target(name: "LogStream", dependencies: ["Frames", "CZlib", "CByteScan"], swiftSettings: releaseSpeed),
        // OCPP-J framing, versions, call/result correlation, typed views.
        .target(name: "OCPP", dependencies: ["Frames"], swiftSettings: releaseSpeed),
        // Per-charge-point state machines: sessions and energy, meter values,
        // status and connectivity intervals. Knows nothing of storage.
        .target(name: "History", dependencies: ["Frames", "OCPP"], swiftSettings: releaseSpeed),
        // SQLite schema, migrations, batched writes; the only Swift code that writes SQL.
        .target(name: "Store", dependencies: ["Frames", "OCPP", "History", "Queries",
                                              .product(name: "SQLiteNIO", package: "sqlite-nio"),
                                              .product(name: "PostgresNIO", package: "postgres-nio"),
                                              .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                                              .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log")], swiftSettings: releaseSpeed),
        // The documented SQL of queries/, embedded (scripts/embed-queries.py).
        .target(name: "Queries"),
        // The analyses on the history: interval arithmetic of uptime and the regimes, anomaly runs.
        .target(name: "Analysis", dependencies: ["Frames", "Store", "Queries"]),
        // Billing reconciliation: OCPI CDRs (JSON, CSV) matched with the sessions.
        .target(name: "Reconcile", dependencies: ["Frames", "OCPP", "Store", "Queries", "Analysis"]),
        // The regulators' rule sets beside NEVI: EU AFIR dynamic data (status timeline, compare with
        // what was published), California CEC caps and interval records, UK PCPR reliability.
        .target(name: "Compliance", dependencies: ["Frames", "OCPP", "Store", "Queries", "Analysis", "Reconcile"]),
        // The readable report: the numbers behind each chart gathered into plain values,
        // drawn as one self-contained HTML page with inline SVG (no scripts, no network).
        .target(name: "Report", dependencies: ["Frames", "Store", "Queries", "Analysis"]),
        // Wires inputs to the store: source digests, batches, summaries.
        .target(name: "Ingest", dependencies: [
            "Frames", "Capture", "LogStream", "OCPP", "History", "Store",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: releaseSpeed),
        // An independent encoder of OCPP traffic as packets: samples, tests and benchmarks.
        .target(name: "Synth", dependencies: ["CZlib"]),

        .executableTarget(name: "ocppscope", dependencies: [
            "Frames", "Capture", "LogStream", "OCPP", "History", "Store", "Ingest", "Queries", "Analysis", "Reconcile", "Compliance", "Report",
            "CJemalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: releaseSpeed),
        // Throughput and peak memory on a generated corpus (see README, Performance).
        .executableTarget(name: "ocppscope-bench", dependencies: [
            "Synth", "Ingest", "Capture", "LogStream", "OCPP", "Store", "Frames",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // libFuzzer targets of the project's own parsers (scripts/fuzz.sh, README "Fuzzing"):
        // the harness is a library so that the regression tests replay the same code paths.
        .target(name: "FuzzHarness", dependencies: ["Capture", "Frames", "LogStream", "OCPP", "Synth"],
                path: "Sources/ocppscope-fuzz/Harness"),
        .executableTarget(name: "ocppscope-fuzz", dependencies: ["FuzzHarness"], path: "Sources/ocppscope-fuzz/Entry"),
        .executableTarget(name: "ocppscope-samples", dependencies: [
            "Synth",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "SynthTests", dependencies: ["Synth", "CZlib"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Frames", "Synth", "CZlib", "CPcap", "FuzzHarness"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Compliance", "Reconcile", "Queries", "Store", "Frames", "Ingest"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Analysis", "Store", "Frames", "Ingest"]),
        .testTarget(name: "ReconcileTests", dependencies: ["Reconcile", "Analysis", "Store", "Frames", "Ingest"]),
        .testTarget(name: "LogStreamTests", dependencies: ["LogStream", "Frames", "OCPP", "CZlib", "Ingest", "Store"]),
        .testTarget(name: "OCPPTests", dependencies: ["OCPP", "Frames"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "OCPP", "Frames"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "OCPP", "Frames", "History"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Ingest", "Store", "History", "Capture", "OCPP", "Frames", "Synth",
                                                           .product(name: "Crypto", package: "swift-crypto")]),
    ]
)
