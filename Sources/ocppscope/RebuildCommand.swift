import ArgumentParser
import History
import Ingest
import Store

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Derive the history tables (sessions, meter values, status, connectivity) again from the messages.",
        discussion: """
        Ingest already does this for the charge points it touched. Rebuild after
        changing a threshold, or to check that the history is reproducible: rebuilding
        twice gives the same tables.

        Examples:
          ocppscope rebuild
          ocppscope rebuild --charge-point CP0001 --silence-multiple 3
        """
    )

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Only this charge point.")
    var chargePoint: String?

    @Option(name: .long, help: "Offline after silence longer than this multiple of the heartbeat interval.")
    var silenceMultiple: Double = 2

    @Option(name: .long, help: "Heartbeat interval (s) assumed until a charge point's is known.")
    var defaultHeartbeat: Int = 3600

    @Option(name: .long, help: "Average power above this (kW) flags a session implausible_power.")
    var implausibleKw: Double = 400

    func validate() throws {
        guard silenceMultiple.isFinite, silenceMultiple > 0 else {
            throw ValidationError("--silence-multiple must be a positive number, e.g. 2")
        }
        guard defaultHeartbeat > 0 else { throw ValidationError("--default-heartbeat must be a positive number of seconds, e.g. 3600") }
        guard implausibleKw.isFinite, implausibleKw > 0 else { throw ValidationError("--implausible-kw must be a positive number, e.g. 400") }
    }

    func run() throws {
        var o = HistoryOptions()
        o.silenceMultiple = silenceMultiple
        o.defaultHeartbeatSeconds = defaultHeartbeat
        o.implausiblePowerKW = implausibleKw
        if PostgresURL.isURL(db) {
            do {
                let fleet = try PostgresStore(url: db)
                let all = try chargePoint.map { [$0] } ?? fleet.chargePoints()
                try PostgresLoad.rebuild(all, in: fleet, options: o)
                print("rebuilt the history of \(all.count) charge points in \(fleet.pg.url)")
            } catch {
                printError("error: \(error)")
                throw Exit.failure
            }
            return
        }
        let store: Store
        do { store = try Store(path: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let counts = try HistoryBuilder.rebuild(store: store, chargePoints: chargePoint.map { [$0] }, options: o)
        print("rebuilt: \(counts["transactions"] ?? 0) sessions, \(counts["meter_values"] ?? 0) meter values, \(counts["status_intervals"] ?? 0) status intervals, \(counts["connectivity"] ?? 0) connectivity intervals")
    }
}
