import ArgumentParser
import Frames
import Queries
import Store

struct AnomaliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: "Find trouble early: a catalogue of documented queries, thresholds as parameters.",
        discussion: """
        Each kind is the query anomaly-KIND in queries/ (`ocppscope query --show
        anomaly-KIND` prints it with its parameters and defaults). --param sets a
        threshold for every kind that has it.

        Examples:
          ocppscope anomalies
          ocppscope anomalies --kind boot-loops --kind faulted --format json
          ocppscope anomalies --kind stuck-status --param max_minutes=15
        """
    )

    @Option(name: .long, help: "Only this kind (repeatable); --list shows them.")
    var kind: [String] = []

    @Flag(name: .long, help: "List the kinds with what each answers.")
    var list = false

    @Option(name: .long, help: "Only this charge point.")
    var chargePoint: String?

    @Option(name: .long, help: "A threshold, name=value (repeatable).")
    var param: [String] = []

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "table, csv or json (one object per finding).")
    var format: OutputFormat = .table

    func run() throws {
        let kinds = kind.isEmpty ? QueryCatalog.anomalyKinds : kind
        if list {
            let p = RowPrinter(columns: ["kind", "answers"], format: format)
            for k in QueryCatalog.anomalyKinds { p.row([.text(k), .text(QueryCatalog.named("anomaly-" + k)?.summary)]) }
            p.finish()
            return
        }
        for k in kinds where QueryCatalog.named("anomaly-" + k) == nil {
            throw ValidationError("no anomaly kind \(k); kinds: \(QueryCatalog.anomalyKinds.joined(separator: ", "))")
        }
        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        var params = try parseParams(param)
        params["cp"] = chargePoint.map { .text($0) } ?? .null
        let p = RowPrinter(columns: ["kind", "charge_point", "connector", "from", "to", "detail"], format: format)
        for k in kinds {
            let q = QueryCatalog.named("anomaly-" + k)!
            try store.rows(q.sql, params) { r in
                p.row([.text(k), .text(r.text("charge_point")), .int(r.int("connector")),
                       .text(isoTime(r.int("from_us"))), .text(isoTime(r.int("to_us"))), .text(r.text("detail"))])
            }
        }
        p.finish()
    }
}
