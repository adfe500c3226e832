import Foundation
import Frames
import OCPP
import Queries
import Store

/// A charging session as the chargers reported it over OCPP (a row of
/// `transactions`, read through `queries/reconcile-sessions.sql`).
public struct Session: Sendable, Equatable {
    public var chargePoint: String
    public var sessionNo: Int
    public var ocppVersion: String?
    public var evse: Int?
    public var connector: Int?
    public var transactionId: String?
    public var idToken: String?
    /// Charger clock; observed time where the charger gave none.
    public var start: Timestamp?
    /// nil while the session had not ended when the data did, or its stop was never seen.
    public var end: Timestamp?
    public var energyWh: Double?
    public var energySource: String
    public var stopReason: String?
    public var flags: [String]

    public init(chargePoint: String, sessionNo: Int, ocppVersion: String? = nil, evse: Int? = nil, connector: Int? = nil,
                transactionId: String? = nil, idToken: String? = nil, start: Timestamp?, end: Timestamp?,
                energyWh: Double?, energySource: String = "meter_stop_minus_start", stopReason: String? = nil, flags: [String] = []) {
        self.chargePoint = chargePoint
        self.sessionNo = sessionNo
        self.ocppVersion = ocppVersion
        self.evse = evse
        self.connector = connector
        self.transactionId = transactionId
        self.idToken = idToken
        self.start = start
        self.end = end
        self.energyWh = energyWh
        self.energySource = energySource
        self.stopReason = stopReason
        self.flags = flags
    }

    /// The history's flags that say the session's own energy figure cannot
    /// be trusted to settle a bill: the stop or start was not seen, the value
    /// is estimated, or the register misbehaved. (Flags about delivery —
    /// late or duplicate messages, offline queues — do not change the energy.)
    public static let unreliableFlags: Set<String> = [
        "missing_stop", "missing_start", "estimated", "meter_reset", "register_backwards", "stop_below_start",
        "implausible_power", "stop_sample_mismatch", "unit_change", "transaction_id_reused", "no_meter_data",
    ]

    /// Why the energy is unreliable, or empty.
    public var unreliableReasons: [String] {
        var r = flags.filter { Self.unreliableFlags.contains($0) }
        if energyWh == nil && !r.contains("no_meter_data") { r.append("no energy") }
        else if energySource == "last_sample_estimated" && !r.contains("estimated") { r.append("estimated") }
        return r
    }

    /// Still charging when the data ended: not billable yet.
    public var openAtEnd: Bool { flags.contains("open_at_end") }

    /// `1` for 1.6, `2/1` for 2.x (EVSE/connector).
    public var portText: String {
        if let evse { return "\(evse)/\(connector.map(String.init) ?? "?")" }
        return connector.map(String.init) ?? "?"
    }
}

/// Loads the sessions a set of CDRs could bill.
public enum SessionSource {
    /// Sessions starting in [from, to) (nil: no bound), through the
    /// documented query `reconcile-sessions`.
    public static func load(store: Store, from: Timestamp?, to: Timestamp?, chargePoint: String? = nil) throws -> [Session] {
        guard let q = QueryCatalog.named("reconcile-sessions") else { throw QueryError("built-in query reconcile-sessions is missing") }
        let params: [String: SQLValue] = [
            "from_us": from.map { .int($0.microseconds) } ?? .null,
            "to_us": to.map { .int($0.microseconds) } ?? .null,
            "cp": chargePoint.map { .text($0) } ?? .null,
        ]
        var out: [Session] = []
        try store.rows(q.sql, params) { r in
            var flags: [String] = []
            if let text = r.text("flags"), let list = (try? JSONValue.parse(text))?.array {
                flags = list.compactMap(\.string)
            }
            out.append(Session(chargePoint: r.text("charge_point") ?? "", sessionNo: Int(r.int("session_no") ?? 0),
                               ocppVersion: r.text("ocpp_version"), evse: r.int("evse").map(Int.init),
                               connector: r.int("connector").map(Int.init), transactionId: r.text("transaction_id"),
                               idToken: r.text("id_token"), start: r.int("started_us").map(Timestamp.init(microseconds:)),
                               end: r.int("stopped_us").map(Timestamp.init(microseconds:)), energyWh: r.double("energy_wh"),
                               energySource: r.text("energy_source") ?? "none", stopReason: r.text("stop_reason"), flags: flags))
        }
        return out
    }
}
