import ArgumentParser
import Frames
import Queries
import Store

struct AttemptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attempts",
        abstract: "One row per charge attempt: its port, driver, session, energy, outcome, cause and visit.",
        discussion: """
        An attempt begins when a driver starts to use a port (plug-in, authorization,
        remote start, or a session with none of these) and ends when the port is free
        again or after 2 minutes without a session. outcome is success, failed (with a
        cause: authorization-rejected, authorization-unanswered, no-session,
        start-rejected, fault, stopped-by-charger, offline, low-energy), incomplete
        (cut by the start or end of the data: never failed) or unknown (the session's
        stop was never seen). visit names the visit's first attempt: the same id token
        at the same location within 30 minutes, or anonymous attempts on one port
        within 2. Ports and locations come from `ocppscope ports --load FILE`; without
        a map a port is a 1.6 connector or a 2.x EVSE. Times are observation times;
        --since/--until select by start. The rules: README "Charge attempts and
        reliability", and `ocppscope query --show attempts`.

        Examples:
          ocppscope attempts --charge-point CP0001
          ocppscope attempts --outcome failed --format json | jq -r .cause | sort | uniq -c
          ocppscope attempts --since 2026-03-01 --until 2026-04-01 --format csv > attempts.csv
        """
    )

    @OptionGroup var options: FilterOptions

    @Option(name: .long, help: "Only attempts with this outcome: success, failed, incomplete or unknown.")
    var outcome: String?

    @Option(name: .long, help: "Minutes between attempts of one id token that make them one visit.")
    var visitMinutes: Int = 30

    @Option(name: .long, help: "Minutes between anonymous attempts on one port that make them one visit.")
    var anonymousVisitMinutes: Int = 2

    func run() throws {
        if let o = outcome, !["success", "failed", "incomplete", "unknown"].contains(o) {
            throw ValidationError("--outcome takes success, failed, incomplete or unknown")
        }
        let store = try options.openStore()
        guard let q = QueryCatalog.named("attempts") else { throw QueryError("built-in query attempts is missing") }
        var params = try options.filter().parameters
        params["visit_minutes"] = .int(Int64(visitMinutes))
        params["anonymous_visit_minutes"] = .int(Int64(anonymousVisitMinutes))
        let p = RowPrinter(columns: ["charge_point", "port", "evse", "connector", "started_at", "ended_at", "id_token",
                                     "transaction_id", "energy_wh", "outcome", "cause", "visit", "charge_start_s", "began",
                                     "ended", "stop_reason", "location", "session", "attempt", "flags", "start_message",
                                     "end_message"], format: options.format)
        try store.rows(q.sql, params) { r in
            if let o = outcome, r.text("outcome") != o { return }
            let cause = r.text("cause").map { c in r.text("cause_detail").map { "\(c) (\($0))" } ?? c }
            p.row([.text(r.text("charge_point")), .text(r.text("port")), .int(r.int("evse")), .int(r.int("connector")),
                   .text(isoTime(r.int("started_us"))), .text(isoTime(r.int("ended_us"))), .text(r.text("id_token")),
                   .text(r.text("transaction_id")), .number(r.double("energy_wh"), decimals: 0), .text(r.text("outcome")),
                   .text(cause), .text(r.text("visit")), .number(r.double("charge_start_s"), decimals: 1),
                   .text(r.text("began")), .text(r.text("ended")), .text(r.text("stop_reason")), .text(r.text("location")),
                   .int(r.int("session_no")), .int(r.int("attempt_no")), .json(r.text("flags") ?? "[]"),
                   .int(r.int("start_message")), .int(r.int("end_message"))])
        }
        p.finish()
    }
}

extension HistoryFilter {
    /// The filter as the documented queries' parameters (:cp, :since, :until).
    var parameters: [String: SQLValue] {
        ["cp": chargePoint.map { .text($0) } ?? .null,
         "since": since.map { .int($0.microseconds) } ?? .null,
         "until": until.map { .int($0.microseconds) } ?? .null]
    }
}
