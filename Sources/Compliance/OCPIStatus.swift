/// OCPI 2.2.1 EVSE status (section 8.4.22), the vocabulary both EU AFIR
/// access points and the UK Public Charge Point Regulations 2023 read.
public enum OCPIStatus: String, CaseIterable, Sendable, Comparable {
    case available = "AVAILABLE"
    case blocked = "BLOCKED"
    case charging = "CHARGING"
    case inoperative = "INOPERATIVE"
    case outOfOrder = "OUTOFORDER"
    case planned = "PLANNED"
    case removed = "REMOVED"
    case reserved = "RESERVED"
    case unknown = "UNKNOWN"

    /// Case-insensitive, also with `OUT_OF_ORDER`/`out of order` spellings.
    public init?(name: String) {
        let n = name.uppercased().filter { $0.isLetter }
        guard let s = OCPIStatus(rawValue: n) else { return nil }
        self = s
    }

    /// AFIR Art. 20(2) operational status: `operational`, `out of order`, or nil when unknown.
    public var operationalStatus: String? {
        switch self {
        case .available, .charging, .reserved, .blocked: return "operational"
        case .inoperative, .outOfOrder, .planned, .removed: return "out of order"
        case .unknown: return nil
        }
    }

    /// AFIR Art. 20(2) availability: `available`, `occupied`, or nil when out of order or unknown.
    public var availability: String? {
        switch self {
        case .available: return "available"
        case .charging, .reserved, .blocked: return "occupied"
        default: return nil
        }
    }

    /// Whether two statuses say the same thing in AFIR's terms (both
    /// dimensions), the test of `afir compare`.
    public func agreesForAFIR(with o: OCPIStatus) -> Bool {
        operationalStatus == o.operationalStatus && availability == o.availability
    }

    /// Which status an EVSE of several connectors shows: one vehicle at a
    /// time, so a connector in use makes the EVSE occupied; else one usable
    /// connector makes it available; a known state beats an unknown one.
    var evsePrecedence: Int {
        switch self {
        case .charging: return 8
        case .reserved: return 7
        case .available: return 6
        case .blocked: return 5
        case .inoperative: return 4
        case .outOfOrder: return 3
        case .planned, .removed: return 2
        case .unknown: return 0
        }
    }

    public static func < (a: OCPIStatus, b: OCPIStatus) -> Bool { a.rawValue < b.rawValue }
}
