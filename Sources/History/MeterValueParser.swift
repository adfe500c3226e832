import Foundation
import Frames
import OCPP

/// One sampled value read from a payload, before it is tied to a session.
struct ParsedSample {
    var time: Timestamp?
    var measurand: String
    var phase: String?
    var location: String?
    var context: String?
    var unit: String?
    var raw: String
    var value: Double?
    var normalizedUnit: String?
    var signedData: String?
    /// Factor from the value as sent to the normalized value (kWh: 1000).
    var scale: Double = 1

    var isImportRegister: Bool { measurand == "Energy.Active.Import.Register" && phase == nil && (location == nil || location == "Outlet") }
    var isExportRegister: Bool { measurand == "Energy.Active.Export.Register" && phase == nil }
    var isActivePowerImport: Bool { measurand == "Power.Active.Import" && phase == nil }
}

/// Reads `meterValue` arrays of OCPP 1.6 (values as strings, `unit`) and
/// 2.x (numbers, `unitOfMeasure` with a power-of-ten `multiplier`, optional
/// `signedMeterValue`), normalising values to the base unit of their measurand.
enum MeterValueParser {
    /// Appends the samples to `out` (a buffer the caller keeps from one
    /// message to the next: an array per message was an allocation, and
    /// its growth more).
    static func samples(_ meterValues: JSONView?, into out: inout [ParsedSample]) {
        meterValues?.forEachItem { mv in
            let time = mv["timestamp"]?.timestamp
            mv["sampledValue"]?.forEachItem { sv in
                out.append(sample(sv, time: time))
            }
        }
    }

    /// The measurands of OCPP 1.6 and 2.0.1 and the reading contexts, read
    /// as these Strings (`JSONView.string(among:)`): most are longer than a
    /// String holds inline, and every sample names one. A name not listed
    /// (2.1's additions, a vendor's) is read as any other string.
    static let measurands = [
        "Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC", "Current.Offered",
        "Power.Offered", "Energy.Active.Export.Register", "Energy.Reactive.Import.Register", "Energy.Reactive.Export.Register",
        "Energy.Active.Import.Interval", "Energy.Active.Export.Interval", "Energy.Reactive.Import.Interval",
        "Energy.Reactive.Export.Interval", "Energy.Active.Net", "Energy.Reactive.Net", "Energy.Apparent.Net",
        "Energy.Apparent.Import", "Energy.Apparent.Export", "Current.Export", "Power.Active.Export", "Power.Factor",
        "Power.Reactive.Import", "Power.Reactive.Export", "Frequency", "Temperature", "RPM",
    ]
    static let contexts = [
        "Sample.Periodic", "Sample.Clock", "Transaction.Begin", "Transaction.End", "Interruption.Begin", "Interruption.End",
        "Trigger", "Other",
    ]

    static func sample(_ sv: JSONView, time: Timestamp?) -> ParsedSample {
        // The members in one walk (a sampled value has up to nine a sample
        // reads; a lookup each walked them nine times); the first of a name counts.
        var measurandV, valueV, uomV, unitV, formatV, signedV, phaseV, locationV, contextV: JSONView?
        sv.forEachMember { m in
            func take(_ slot: inout JSONView?) { if slot == nil { slot = m.value } }
            if m.isNamed("value") { take(&valueV) }
            else if m.isNamed("measurand") { take(&measurandV) }
            else if m.isNamed("unitOfMeasure") { take(&uomV) }
            else if m.isNamed("unit") { take(&unitV) }
            else if m.isNamed("context") { take(&contextV) }
            else if m.isNamed("location") { take(&locationV) }
            else if m.isNamed("phase") { take(&phaseV) }
            else if m.isNamed("format") { take(&formatV) }
            else if m.isNamed("signedMeterValue") { take(&signedV) }
        }
        // 1.6 defaults: measurand Energy.Active.Import.Register, unit Wh, format Raw.
        let measurand = measurandV?.string(among: measurands) ?? "Energy.Active.Import.Register"
        let raw = valueV?.scalarText ?? ""
        var unitText: String?
        var multiplier = 0
        if let uom = uomV {
            unitText = uom["unit"]?.string ?? "Wh"
            multiplier = uom["multiplier"]?.int ?? 0
        } else {
            unitText = unitV?.string
        }
        var signed: String?
        var value: Double?
        if formatV?.string == "SignedData" {
            // 1.6: the value itself is the signed data (often OCMF).
            signed = raw
            if let r = OCMF.lastReading(raw) {
                value = r.value
                if unitText == nil { unitText = r.unit }
            }
        } else {
            value = Double(raw) ?? Double(raw.trimmingCharacters(in: .whitespaces))
        }
        if let smv = signedV {
            signed = smv["signedMeterData"]?.string
        }
        let baseUnit = unitText ?? defaultUnit(measurand)
        // The unit's conversion looked up once, for the value and the scale.
        let conversion = Conversion(of: baseUnit)
        let power = multiplier == 0 ? 1 : pow(10, Double(multiplier))
        var normalized: (Double, String)?
        if let v = value { normalized = conversion.apply(v * power, unit: baseUnit) }
        let unitLabel: String? = multiplier == 0 ? unitText : "\(baseUnit)×10^\(multiplier)"
        let scale = conversion.apply(1, unit: baseUnit).0 * power
        return ParsedSample(time: time, measurand: measurand, phase: phaseV?.string, location: locationV?.string,
                            context: contextV?.string(among: contexts), unit: unitLabel, raw: raw, value: normalized?.0,
                            normalizedUnit: normalized?.1, signedData: signed, scale: scale)
    }

    static func defaultUnit(_ measurand: String) -> String {
        if measurand.hasPrefix("Energy.Reactive") { return "varh" }
        if measurand.hasPrefix("Energy") { return "Wh" }
        if measurand.hasPrefix("Power.Reactive") { return "var" }
        if measurand.hasPrefix("Power.Factor") { return "" }
        if measurand.hasPrefix("Power") { return "W" }
        if measurand.hasPrefix("Current") { return "A" }
        if measurand.hasPrefix("Voltage") { return "V" }
        if measurand == "SoC" { return "Percent" }
        if measurand == "Frequency" { return "Hz" }
        if measurand == "Temperature" { return "Celsius" }
        return ""
    }

    /// Converts to the base unit (kWh → Wh, kW → W, kvarh → varh, …).
    static func normalize(_ v: Double, unit: String) -> (Double, String) { Conversion(of: unit).apply(v, unit: unit) }

    /// How values in a unit become values in its base unit, found by the
    /// unit's length and bytes. Why not a `switch` over the names: it
    /// compared the unit with each name in turn, every comparison of two
    /// different Strings a call into the standard library, and "Wh", the
    /// usual unit, came last; twice per sample (perf, 250 MB benchmark
    /// ingest: String comparisons 3% of the history's busiest thread).
    enum Conversion {
        case none
        case times(Double, String)
        case dividedBy(Double, String)
        case fahrenheit
        case kelvin

        init(of unit: String) {
            var u = unit
            self = u.withUTF8 { b -> Conversion in
                func `is`(_ name: StaticString) -> Bool {
                    b.count == name.utf8CodeUnitCount && memcmp(b.baseAddress!, name.utf8Start, b.count) == 0
                }
                switch b.count {
                case 1: return `is`("K") ? .kelvin : .none
                case 2: return `is`("kW") ? .times(1000, "W") : `is`("mA") ? .dividedBy(1000, "A") : .none
                case 3:
                    if `is`("kWh") { return .times(1000, "Wh") }
                    if `is`("MWh") { return .times(1_000_000, "Wh") }
                    return `is`("kVA") ? .times(1000, "VA") : .none
                case 4: return `is`("kvar") ? .times(1000, "var") : `is`("kVAh") ? .times(1000, "VAh") : .none
                case 5: return `is`("kvarh") ? .times(1000, "varh") : .none
                case 10: return `is`("Fahrenheit") ? .fahrenheit : .none
                default: return .none
                }
            }
        }

        func apply(_ v: Double, unit: String) -> (Double, String) {
            switch self {
            case .none: return (v, unit)
            case .times(let f, let base): return (v * f, base)
            case .dividedBy(let d, let base): return (v / d, base)
            case .fahrenheit: return ((v - 32) * 5 / 9, "Celsius")
            case .kelvin: return (v - 273.15, "Celsius")
            }
        }
    }
}

/// The Open Charge Metering Format (OCMF) of signed meter values:
/// `OCMF|{payload}|{signature}`, the payload's `RD` array holding readings
/// with `RV` (value) and `RU` (unit). Also accepted base64-encoded.
enum OCMF {
    static func lastReading(_ text: String) -> (value: Double, unit: String)? {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !s.hasPrefix("OCMF|"), let data = Data(base64Encoded: s), let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("OCMF|") {
            s = decoded
        }
        guard s.hasPrefix("OCMF|") else { return nil }
        let body = s.dropFirst(5)
        // The payload is the JSON object up to the separator before the signature.
        guard let end = body.range(of: "}|", options: .backwards) else { return nil }
        let json = String(body[..<body.index(after: end.lowerBound)])
        guard let payload = try? JSONValue.parse(json), let readings = payload["RD"]?.array, let last = readings.last,
              let rv = last["RV"]?.double else { return nil }
        return (rv, last["RU"]?.string ?? "kWh")
    }
}
