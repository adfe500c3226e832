/// The rule sets ocppscope can report availability by. Each names its source
/// and lists the rules it applies, and every report prints them, because the
/// same history gives different figures under different regulators.
///
/// The rules themselves live in one place per regime: NEVI in
/// `Analysis/Uptime.swift` and `queries/uptime-*.sql`, CEC in
/// `CECRules.swift`, UK PCPR in `UKReliability.swift`, AFIR in
/// `AFIRStatus.swift` and `AFIRCompare.swift`; the OCPP-to-OCPI status
/// mapping they share in `queries/regime-ocpi-status.sql`.
public enum Regime: String, CaseIterable, Sendable {
    case nevi
    case cec
    case ukPCPR = "uk-pcpr"
    case afir

    public var title: String {
        switch self {
        case .nevi: return "NEVI: 23 CFR 680.116(b) port uptime (US National Electric Vehicle Infrastructure standards)"
        case .cec: return "CEC: California Energy Commission EV charger reliability standards for publicly funded DC fast chargers"
        case .ukPCPR: return "UK PCPR: The Public Charge Point Regulations 2023 (SI 2023/1168), regulations 7 and 8"
        case .afir: return "EU AFIR: Regulation (EU) 2023/1804, Article 20(2), dynamic data of charging points"
        }
    }

    /// The rules applied, one line each, with where they come from.
    public var rules: [String] {
        switch self {
        case .nevi:
            return [
                "uptime = (T_period - (T_outage - T_excluded)) / T_period x 100 per port (680.116(b)(2)), generalised to the period",
                "down: the charge point offline, or the port (1.6: or connector 0) Faulted or Unavailable; up: Available, Preparing, Charging, Suspended*, Finishing, Reserved, Occupied",
                "minutes the data does not cover, or whose state is not known, are unknown: not up",
                "T_excluded: outage minutes inside the exclusions file's windows, whatever the reason (680.116(b)(3))",
            ]
        case .cec:
            return [
                "uptime per port, by the same formula and down states as NEVI; the standard is 97%",
                "excluded downtime only for grid power loss, natural disasters, vandalism (at most 10 days per incident) and planned maintenance (at most 72 hours per port per calendar year)",
                "an exclusion whose reason names none of those categories, and excluded time beyond a cap, count as outage",
                "reliability records kept per 15-minute interval (report cec); reports every six months as CSV",
            ]
        case .ukPCPR:
            return [
                "only rapid charge points: a power of 50 kW or above (reg. 2; --rapid-kw), from the charger's rated power, else the power map, else its observed peak",
                "reliable while the OCPI EVSE status is AVAILABLE, CHARGING or RESERVED (reg. 7(3)(a)); not reliable while INOPERATIVE or OUTOFORDER (reg. 7(4))",
                "UNKNOWN and BLOCKED are ineligible for measurement (reg. 7(3)(b)): reliability_percent leaves them out; the regulation's literal reading, which counts them as reliable, is given beside it",
                "offline counts as OUTOFORDER (--offline-as unknown for OCPI's own reading of offline as UNKNOWN)",
                "only the site's access hours count (reg. 7(5); --access-hours)",
                "the network of rapid charge points must be reliable 99% of each calendar year on average (reg. 7(2)): the mean of its charge points' reliability",
            ]
        case .afir:
            return [
                "per EVSE (1.6: connector, with connector 0 standing for the whole charge point; 2.x: EVSE) the operational status (operational / out of order) and availability (available / occupied), Art. 20(2)",
                "OCPI EVSE status from OCPP status by queries/regime-ocpi-status.sql; AVAILABLE: operational, available; CHARGING, RESERVED, BLOCKED (Finishing): operational, occupied; INOPERATIVE, OUTOFORDER: out of order",
                "offline counts as out of order; unknown (no data, no report) stays unknown and is never compared",
                "compare: a disagreement is time when the published status's operational status, or availability, differs from the charger's",
            ]
        }
    }

    /// The regime's name and rules as lines of text, for the end of a report.
    public var statement: String {
        "regime \(rawValue): \(title)\n" + rules.map { "  - " + $0 }.joined(separator: "\n")
    }
}
