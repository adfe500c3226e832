import ArgumentParser
import Foundation
import Frames
import Queries
import Store

/// Parses `--param k=v`: numbers stay numbers; a parameter whose name ends
/// in `_us` also takes an ISO 8601 time; everything else is text. Values
/// are always bound, never spliced into SQL.
func parseParams(_ raw: [String]) throws -> [String: SQLValue] {
    var out: [String: SQLValue] = [:]
    for p in raw {
        guard let eq = p.firstIndex(of: "=") else { throw ValidationError("--param takes name=value, got \(p)") }
        let name = String(p[..<eq]).trimmingCharacters(in: CharacterSet(charactersIn: ":@$ "))
        let value = String(p[p.index(after: eq)...])
        if let i = Int64(value) { out[name] = .int(i) }
        else if let d = Double(value) { out[name] = .double(d) }
        else if name.hasSuffix("_us"), let t = Timestamp(iso8601: value) { out[name] = .int(t.microseconds) }
        else if value.lowercased() == "null" { out[name] = .null }
        else { out[name] = .text(value) }
    }
    return out
}

/// A column holding a point in time (µs since the epoch), shown as ISO 8601.
func isTimeColumn(_ name: String) -> Bool {
    name.hasSuffix("_us") && !name.contains("latency") && !name.contains("duration")
}

/// Prints any result set: columns as the query names them, times as ISO 8601.
func printRows(store: Store, sql: String, params: [String: SQLValue], format: OutputFormat) throws {
    var printer: RowPrinter?
    try store.rows(sql, params) { r in
        if printer == nil { printer = RowPrinter(columns: r.columns.map { isTimeColumn($0) ? String($0.dropLast(3)) : $0 }, format: format) }
        printer!.row(zip(r.columns, r.values).map { name, v in
            switch v {
            case .int(let i): return isTimeColumn(name) ? .text(Timestamp(microseconds: i).iso8601) : .int(i)
            case .double(let d): return .number(d, decimals: d == d.rounded() ? 0 : 3)
            case .text(let t):
                if format == .json, let f = t.first, f == "[" || f == "{" { return .json(t) }
                return .text(t)
            case .blob(let b): return .text(b.map { String(format: "%02x", $0) }.joined())
            case .null: return .text(nil)
            }
        })
    }
    if let printer { printer.finish() } else if format == .table { print("(no rows)") }
}

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a documented query of queries/ (or your own .sql file) on the database.",
        discussion: """
        The database is opened read-only. Parameters are bound, never spliced into the
        SQL; a parameter named *_us also takes an ISO 8601 time. Columns named *_us
        are printed as ISO 8601 times (without the suffix).

        Examples:
          ocppscope query --list
          ocppscope query --show anomaly-boot-loops
          ocppscope query anomaly-boot-loops --param count=2 --param window_minutes=120
          ocppscope query my-analysis.sql --format csv
        """
    )

    @Argument(help: "A query name (see --list) or a path to a .sql file.")
    var name: String?

    @Flag(name: .long, help: "List the built-in queries with their first header line.")
    var list = false

    @Flag(name: .long, help: "Print the query's SQL with its header instead of running it.")
    var show = false

    @Option(name: .long, help: "A parameter, name=value (repeatable).")
    var param: [String] = []

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "table, csv or json (one object per line).")
    var format: OutputFormat = .table

    func run() throws {
        if list {
            let p = RowPrinter(columns: ["name", "answers"], format: format)
            for q in QueryCatalog.all { p.row([.text(q.name), .text(q.summary)]) }
            p.finish()
            return
        }
        guard let name else { throw ValidationError("name a query (see `ocppscope query --list`) or a .sql file") }
        let query: Query
        do { query = try QueryCatalog.resolve(name) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        if show { print(query.sql); return }
        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        do {
            try printRows(store: store, sql: query.sql, params: try parseParams(param), format: format)
        } catch let e as StoreError {
            printError("error: \(query.name): \(e)")
            throw Exit.failure
        }
    }
}
