import Testing
@testable import History

/// `MeterValueParser.Conversion` finds a unit's conversion by its bytes;
/// it must give what the table of names gives, bit for bit, and leave any
/// other unit (other cases, prefixes, empty) as it is.
@Suite("Unit conversion")
struct UnitConversionTests {
    /// The conversions as the specification's units define them.
    private static func expected(_ v: Double, _ unit: String) -> (Double, String) {
        switch unit {
        case "kWh": return (v * 1000, "Wh")
        case "MWh": return (v * 1_000_000, "Wh")
        case "kW": return (v * 1000, "W")
        case "kvarh": return (v * 1000, "varh")
        case "kvar": return (v * 1000, "var")
        case "kVA": return (v * 1000, "VA")
        case "kVAh": return (v * 1000, "VAh")
        case "mA": return (v / 1000, "A")
        case "Fahrenheit": return ((v - 32) * 5 / 9, "Celsius")
        case "K": return (v - 273.15, "Celsius")
        default: return (v, unit)
        }
    }

    @Test func everyUnitConvertsAsItsName() {
        let units = ["kWh", "MWh", "kW", "kvarh", "kvar", "kVA", "kVAh", "mA", "Fahrenheit", "K",
                     "Wh", "W", "A", "V", "VA", "var", "varh", "Percent", "Celsius", "Hz", "", "kwh", "KWh", "k", "kWhh",
                     "fahrenheit", "Fahrenheit ", "mV", "KW", "MW"]
        for unit in units {
            for v in [0, 1, -1, 12.345, 1e-7, 987654.321, 0.1 + 0.2] {
                let got = MeterValueParser.normalize(v, unit: unit)
                let want = UnitConversionTests.expected(v, unit)
                #expect(got.0.bitPattern == want.0.bitPattern && got.1 == want.1, "\(v) \(unit)")
            }
        }
    }
}
