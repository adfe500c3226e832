import ArgumentParser
import Store

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "What one charge point and the CSMS said and did, in time order.",
        discussion: """
        Merges messages (answers with their latency; errors and unanswered calls
        marked), status changes, connects and disconnects, offline periods and session
        starts and stops. Every message row cites its source file and packet number.

        Examples:
          ocppscope timeline --charge-point CP0001 --since 2026-03-02T14:00 --until 2026-03-02T14:20
          ocppscope timeline --charge-point CP0001 --format json > incident.jsonl
        """
    )

    @OptionGroup var options: FilterOptions

    func validate() throws {
        if options.chargePoint == nil { throw ValidationError("timeline needs --charge-point ID (see `ocppscope chargers` for the identities)") }
    }

    func run() throws {
        let store = try options.openStore()
        let p = RowPrinter(columns: ["time", "kind", "direction", "action", "unique_id", "latency_ms", "note", "detail", "source", "frame", "message_id"],
                           format: options.format)
        try store.timeline(try options.filter()) { r in
            let kind = r.text("kind") ?? ""
            var note: String?
            if kind == "CALL", let a = r.text("answer") {
                note = a == "none" ? "UNANSWERED (connection closed)" : a == "open" ? "unanswered (data ended)" : a == "error" ? "answered with CALLERROR" : nil
            } else if kind == "CALLERROR" || kind == "CALLRESULTERROR" {
                note = "ERROR \(r.text("error_code") ?? "") \(r.text("error_description") ?? "")"
            }
            let arrow: String? = r.text("direction").map { $0 == "cp_to_csms" ? "→ CSMS" : "← CSMS" }
            let latency = r.double("latency_us").map { $0 / 1000 }
            var detail = r.text("detail") ?? ""
            if options.format == .table && detail.count > 120 { detail = String(detail.prefix(119)) + "…" }
            let isMessage = ["CALL", "CALLRESULT", "CALLERROR", "CALLRESULTERROR", "SEND"].contains(kind)
            p.row([.text(isoTime(r.int("time_us"))), .text(kind), .text(options.format == .json ? r.text("direction") : arrow),
                   .text(r.text("action")), .text(r.text("unique_id")), .number(latency, decimals: 1), .text(note),
                   isMessage && options.format == .json ? .json(r.text("detail") ?? "null") : .text(detail),
                   .text(r.text("source")), .int(r.int("frame")), .int(r.int("message_id"))])
        }
        p.finish()
    }
}
