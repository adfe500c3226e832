import Analysis
import ArgumentParser
import Frames
import Store

struct ReliabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reliability",
        abstract: "The reliability a driver sees: attempt and visit success, failures by cause, the ChargeX KPIs.",
        discussion: """
        From the charge attempts (see `ocppscope attempts`), per group and period:
        attempts, successes, failures, incomplete and unknown ones (never in a rate),
        the attempt success rate, failures by cause, visits with their success and
        first-attempt success rates, and the ChargeX consortium's KPIs (Quinn et al.,
        "Customer-Focused Key Performance Indicators for Electric Vehicle Charging",
        INL 2024): session success, charge start success, charge end success, and the
        charge start time (last plug-in or authorization to energy flowing) as median
        and 90th percentile. Each is a documented query, reliability-* (`ocppscope
        query --show reliability-chargex-charge-start-success`). Groups by port (from
        `ocppscope ports --load`), charge point, location, vendor, firmware (vendor
        and version) or the whole fleet; periods are UTC days, weeks from Monday,
        months, or all.

        Examples:
          ocppscope reliability
          ocppscope reliability --by location --period month
          ocppscope reliability --by firmware --min-energy-wh 500 --format json
        """
    )

    @OptionGroup var options: FilterOptions

    @Option(name: .long, help: "port, charge-point, location, vendor, firmware or fleet.")
    var by: String = "charge-point"

    @Option(name: .long, help: "day, week, month or all.")
    var period: String = "all"

    @Option(name: .long, help: "A successful session delivers more than this (Wh).")
    var minEnergyWh: Double = 100

    @Option(name: .long, help: "Minutes between attempts of one id token that make them one visit.")
    var visitMinutes: Int = 30

    @Option(name: .long, help: "Minutes between anonymous attempts on one port that make them one visit.")
    var anonymousVisitMinutes: Int = 2

    func run() throws {
        guard Reliability.groupings.contains(by) else { throw ValidationError("--by takes \(Reliability.groupings.joined(separator: ", "))") }
        guard Reliability.periods.contains(period) else { throw ValidationError("--period takes \(Reliability.periods.joined(separator: ", "))") }
        let store = try options.openStore()
        var params = try options.filter().parameters
        params["by"] = .text(by)
        params["period"] = .text(period)
        params["min_energy_wh"] = .double(minEnergyWh)
        params["visit_minutes"] = .int(Int64(visitMinutes))
        params["anonymous_visit_minutes"] = .int(Int64(anonymousVisitMinutes))
        let lines = try Reliability.lines(store: store, parameters: params)
        let numbers: [(String, Int)] = [
            ("attempts", 0), ("successes", 0), ("failures", 0), ("incomplete", 0), ("unknown", 0),
            ("attempt_success_percent", 1), ("visits", 0), ("visit_success_percent", 1),
            ("first_attempt_success_percent", 1), ("session_success_percent", 1), ("charge_start_success_percent", 1),
            ("charge_end_success_percent", 1), ("charge_start_median_s", 1), ("charge_start_p90_s", 1),
        ]
        let p = RowPrinter(columns: ["group", "period"] + numbers.map(\.0) + ["failures_by_cause"], format: options.format)
        for l in lines {
            var cells: [Cell] = [.text(l.group), .text(l.period)]
            for (name, decimals) in numbers {
                switch l.values[name] {
                case .int(let i)?: cells.append(decimals == 0 ? .int(i) : .number(Double(i), decimals: decimals))
                case .double(let d)?: cells.append(.number(d, decimals: decimals))
                default: cells.append(decimals == 0 ? .int(nil) : .number(nil, decimals: decimals))
                }
            }
            var causes = "{}"
            if case .text(let t)? = l.values["failures_by_cause"] { causes = t }
            cells.append(options.format == .json ? .json(causes) : .text(causes))
            p.row(cells)
        }
        p.finish()
    }
}
