import Analysis
import ArgumentParser
import Capture
import Compliance
import Foundation
import Frames
import Store

/// The database and filter options the history commands share.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Only this charge point identity.")
    var chargePoint: String?

    @Option(name: .long, help: "From this time (inclusive; ISO 8601, UTC when no zone is given).")
    var since: String?

    @Option(name: .long, help: "Up to this time (exclusive).")
    var until: String?

    @Option(name: .long, help: "table, csv or json (one object per line).")
    var format: OutputFormat = .table

    func filter() throws -> HistoryFilter {
        do {
            return HistoryFilter(chargePoint: chargePoint,
                                 since: try since.map { try parseTime($0, option: "--since") },
                                 until: try until.map { try parseTime($0, option: "--until") })
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Opens the database read-only, or exits with a message that says what to do.
    func openStore() throws -> Store { try openReadOnlyStore(db) }
}

/// Opens a database (file or postgresql:// URL) read-only, or exits with a message that says what to do.
func openReadOnlyStore(_ db: String) throws -> Store {
    do { return try Store(readOnly: db) } catch {
        printError("error: \(error)")
        throw Exit.failure
    }
}

/// Reads `--exclusions FILE` (`charge_point,connector,from,to,reason`), or exits with a message naming the file.
func loadExclusions(_ path: String?) throws -> [Exclusion] {
    guard let path else { return [] }
    do { return try ExclusionFile.parse(String(contentsOfFile: path, encoding: .utf8)) } catch {
        printError("error: \(path): \(error)")
        throw Exit.failure
    }
}

/// Reads `--identity-map FILE`, or exits with a message naming the file.
func loadIdentityMap(_ path: String?) throws -> IdentityMap {
    guard let path else { return IdentityMap() }
    do { return try IdentityMap(csv: String(contentsOfFile: path, encoding: .utf8)) } catch {
        printError("error: \(path): \(error)")
        throw Exit.failure
    }
}

/// `2026-03-02T06:00:00.000Z` from a `*_us` column value.
func isoTime(_ us: Int64?) -> String? { us.map { Timestamp(microseconds: $0).iso8601 } }

/// The database, a charge point and a window of time: the options of
/// `uptime` and both `afir` commands.
struct WindowOptions: ParsableArguments {
    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Only this charge point.")
    var chargePoint: String?

    @Option(name: .long, help: "Start of the window (default: the start of the data).")
    var from: String?

    @Option(name: .long, help: "End of the window, exclusive (default: the end of the data).")
    var to: String?

    /// `--from` and `--to` in microseconds, nil where not given.
    func bounds() throws -> (from: Int64?, to: Int64?) {
        (try from.map { try parseTime($0, option: "--from").microseconds },
         try to.map { try parseTime($0, option: "--to").microseconds })
    }

    /// The status timelines of the window's EVSEs (AFIR), clipped to it.
    func timelines() throws -> (Store, [EVSETimeline]) {
        let (from, to) = try bounds()
        let store = try openReadOnlyStore(db)
        var t = try StatusTimeline.load(store: store, chargePoint: chargePoint, window: nil)
        if from != nil || to != nil {
            let window = Span(from ?? Int64.min / 2, to ?? Int64.max / 2)
            t = t.map { AFIRStatus.clip($0, to: window) }
        }
        return (store, t)
    }
}
