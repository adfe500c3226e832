import ArgumentParser

@main
struct OCPPScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocppscope",
        abstract: "Decode OCPP traffic from packet captures into a queryable history.",
        discussion: """
        ocppscope reads OCPP-J (1.6, 2.0.1, 2.1) from pcap and pcapng captures, plain
        or gzip-compressed, and stores every message, connection and charge point in
        SQLite.

        Examples:
          ocppscope ingest samples/fleet-small.pcap          # into ./\(defaultDatabase)
          ocppscope decode capture.pcapng.gz --format json | jq .action
          ocppscope messages --charge-point CP0001 --since 2026-03-02T14:00 --until 2026-03-02T14:20

        Exit codes: 0 success; 1 failure (nothing done); 2 partial (some inputs could
        not be read, the others were ingested); 64 usage error.
        """,
        version: "0.1.0 (memory allocator: \(MemoryAllocator.description))",
        subcommands: [IngestCommand.self, DecodeCommand.self, MessagesCommand.self, ChargersCommand.self,
                      TransactionsCommand.self, TimelineCommand.self, RebuildCommand.self, CaptureCommand.self,
                      QueryCommand.self, UptimeCommand.self, AnomaliesCommand.self, ReportCommand.self,
                      AttemptsCommand.self, ReliabilityCommand.self, PortsCommand.self, ReconcileCommand.self,
                      AFIRCommand.self, ExportCommand.self]
    )
}

/// The database file used when `--db` is not given.
let defaultDatabase = "ocppscope.sqlite"

/// Exit codes scripts can rely on.
enum Exit {
    static let failure = ExitCode(1)
    static let partial = ExitCode(2)
}
