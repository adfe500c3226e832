import Foundation
import Frames

/// One billed charging session as the billing side saw it: an OCPI 2.2.1
/// CDR, or a row of a CSV export, reduced to what reconciliation compares.
///
/// Energy is kept in Wh, as the OCPP side is: OCPI's `total_energy` is kWh
/// with decimals, and converting once here keeps every comparison in one unit.
public struct ChargeDetailRecord: Sendable, Equatable {
    /// The CDR's own id (OCPI `id`); for CSV without an id column, `line N`.
    public var id: String
    /// Where it came from, for messages: `line 3`, `item 2`.
    public var origin: String

    // Where: an OCPP identity and port when the input names them (CSV) or
    // the EVSE map resolves the OCPI EVSE; else only the OCPI ids.
    public var chargePoint: String?
    public var port: Port?
    public var evseId: String?
    public var evseUid: String?
    public var ocpiConnectorId: String?

    // Who.
    public var token: String?
    public var tokenType: String?
    public var contractId: String?
    public var authMethod: String?

    // When and how much.
    public var start: Timestamp?
    public var end: Timestamp?
    public var energyWh: Double?
    /// OCPI `total_time` in hours.
    public var totalTimeHours: Double?
    /// The ENERGY dimensions of `charging_periods`, summed (Wh), when present:
    /// a second opinion on `total_energy`.
    public var periodsEnergyWh: Double?

    // What it cost.
    public var costExclVat: Double?
    public var costInclVat: Double?
    /// OCPI `total_energy_cost` (excl. VAT): the part of the price that is per kWh.
    public var energyCostExclVat: Double?
    public var currency: String?

    /// OCPI credit CDRs cancel the CDR named by `creditReference`.
    public var credit: Bool
    public var creditReference: String?

    public init(id: String, origin: String = "", chargePoint: String? = nil, port: Port? = nil, evseId: String? = nil,
                evseUid: String? = nil, ocpiConnectorId: String? = nil, token: String? = nil, tokenType: String? = nil,
                contractId: String? = nil, authMethod: String? = nil, start: Timestamp? = nil, end: Timestamp? = nil,
                energyWh: Double? = nil, totalTimeHours: Double? = nil, periodsEnergyWh: Double? = nil,
                costExclVat: Double? = nil, costInclVat: Double? = nil, energyCostExclVat: Double? = nil,
                currency: String? = nil, credit: Bool = false, creditReference: String? = nil) {
        self.id = id
        self.origin = origin
        self.chargePoint = chargePoint
        self.port = port
        self.evseId = evseId
        self.evseUid = evseUid
        self.ocpiConnectorId = ocpiConnectorId
        self.token = token
        self.tokenType = tokenType
        self.contractId = contractId
        self.authMethod = authMethod
        self.start = start
        self.end = end
        self.energyWh = energyWh
        self.totalTimeHours = totalTimeHours
        self.periodsEnergyWh = periodsEnergyWh
        self.costExclVat = costExclVat
        self.costInclVat = costInclVat
        self.energyCostExclVat = energyCostExclVat
        self.currency = currency
        self.credit = credit
        self.creditReference = creditReference
    }

    /// The end, or the start plus `total_time` when no end was given (CSV
    /// exports sometimes carry a duration only), or the start.
    public var effectiveEnd: Timestamp? {
        if let end { return end }
        guard let start else { return nil }
        // A duration too large for a time (a typo'd export) leaves the start.
        if let h = totalTimeHours {
            return Timestamp(roundingMicroseconds: h * 3_600_000_000).flatMap { start.adding(microseconds: $0.microseconds) } ?? start
        }
        return start
    }

    /// Price per kWh (excl. VAT where known): the energy part of the cost
    /// when OCPI gives it (so a session fee does not inflate it), else the
    /// total cost over the energy.
    public var pricePerKWh: Double? {
        guard let wh = energyWh, wh > 0 else { return nil }
        guard let cost = energyCostExclVat ?? costExclVat ?? costInclVat else { return nil }
        return cost / (wh / 1000)
    }

    /// The EVSE as written in messages: the OCPI EVSE id, or the charge point and port.
    public var whereText: String {
        if let cp = chargePoint { return cp + (port.map { " " + $0.description } ?? "") }
        return evseId ?? evseUid ?? "unknown EVSE"
    }
}

/// A charging port on the OCPP side: for 1.6 a connector id; for 2.x an
/// EVSE id, optionally with the connector within it (`2/1`).
///
/// A bare number matches a 1.6 session's connector or a 2.x session's EVSE,
/// because OCPI's EVSE is what OCPP 2.x calls an EVSE and what a 1.6 charge
/// point calls a connector.
public struct Port: Sendable, Hashable, CustomStringConvertible {
    public var number: Int
    public var connector: Int?

    public init(number: Int, connector: Int? = nil) {
        self.number = number
        self.connector = connector
    }

    /// `1`, `2/1`; nil when it is neither.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let n = Int(parts[0]) else { return nil }
        if parts.count == 2 {
            guard let c = Int(parts[1]) else { return nil }
            self.init(number: n, connector: c)
        } else {
            self.init(number: n)
        }
    }

    public var description: String { connector.map { "\(number)/\($0)" } ?? "\(number)" }

    /// Whether a session on (evse, connector) is on this port.
    public func contains(evse: Int?, connector c: Int?) -> Bool {
        if let evse {
            return evse == number && (connector == nil || connector == c)
        }
        return c == number && (connector == nil || connector == c)
    }
}
