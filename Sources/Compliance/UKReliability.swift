import Analysis
import Foundation

/// UK: The Public Charge Point Regulations 2023 (SI 2023/1168), reg. 7
/// (reliability) and reg. 8 (annual report). The network of rapid charge
/// points (a power of 50 kW or above, reg. 2) must be reliable, on average,
/// 99% of the time in each calendar year (reg. 7(2)).
///
/// Per EVSE, from its OCPI EVSE object status (`StatusTimeline`):
/// - reliable: AVAILABLE, CHARGING, RESERVED (reg. 7(3)(a));
/// - not reliable: INOPERATIVE, OUTOFORDER (reg. 7(4)); offline counts as
///   OUTOFORDER unless the caller reads offline as UNKNOWN, as OCPI allows;
/// - ineligible for measurement: UNKNOWN, BLOCKED (reg. 7(3)(b)).
///   `reliabilityPercent` leaves ineligible time out of the measure;
///   the regulation, read literally, "considers" it reliable, which
///   `literalPercent` gives beside it. They differ only when there is
///   ineligible time;
/// - only the access hours count (reg. 7(5)).
public enum UKReliability {
    public static let targetPercent = 99.0

    public struct PortYear: Sendable {
        public var key: EVSEKey
        public var year: Span
        public var power: PortPower.Rating
        public var rapid: Bool?
        public var accessMicros: Int64 = 0
        public var reliableMicros: Int64 = 0
        public var notReliableMicros: Int64 = 0
        public var ineligibleMicros: Int64 = 0
        /// Reliable over reliable + not reliable.
        public var reliabilityPercent: Double? {
            let measured = reliableMicros + notReliableMicros
            return measured > 0 ? Double(reliableMicros) / Double(measured) * 100 : nil
        }
        /// Reg. 7(3)(b) read literally: ineligible time counts as reliable.
        public var literalPercent: Double? {
            let all = reliableMicros + notReliableMicros + ineligibleMicros
            return all > 0 ? Double(reliableMicros + ineligibleMicros) / Double(all) * 100 : nil
        }
        public var meetsTarget: Bool? { reliabilityPercent.map { $0 >= targetPercent } }
    }

    public struct Network: Sendable {
        public var year: Span
        public var rapidChargePoints: Int
        /// The mean of the rapid charge points' reliability (reg. 7(2) "on average").
        public var reliabilityPercent: Double?
        public var literalPercent: Double?
        /// EVSEs left out because their power is not known.
        public var powerUnknown: Int
        public var meetsTarget: Bool? { reliabilityPercent.map { $0 >= targetPercent } }
    }

    public enum Class { case reliable, notReliable, ineligible }

    public static func classify(_ s: OCPIStatus) -> Class {
        switch s {
        case .available, .charging, .reserved: return .reliable
        case .inoperative, .outOfOrder, .planned, .removed: return .notReliable
        case .unknown, .blocked: return .ineligible
        }
    }

    public static func measure(_ timelines: [EVSETimeline], window: Span, power: PortPower, rapidKW: Double,
                               access: AccessHours?) -> (ports: [PortYear], network: [Network]) {
        var ports: [PortYear] = []
        var network: [Network] = []
        for year in PeriodKind.year.periods(from: window.from, to: window.to) {
            var yearPorts: [PortYear] = []
            for t in timelines {
                let rating = power.rating(t.key)
                var p = PortYear(key: t.key, year: year, power: rating, rapid: rating.isRapid(threshold: rapidKW))
                let open = access?.open(chargePoint: t.key.chargePoint, within: year) ?? IntervalSet([year])
                p.accessMicros = open.total
                var covered: Int64 = 0
                for s in AFIRStatus.clip(t, to: year).segments {
                    let inHours = open.intersection(IntervalSet([s.span])).total
                    covered += inHours
                    switch classify(s.status) {
                    case .reliable: p.reliableMicros += inHours
                    case .notReliable: p.notReliableMicros += inHours
                    case .ineligible: p.ineligibleMicros += inHours
                    }
                }
                // Access hours the data does not reach are unknown: ineligible.
                p.ineligibleMicros += max(0, p.accessMicros - covered)
                yearPorts.append(p)
            }
            let rapid = yearPorts.filter { $0.rapid == true }
            let measured = rapid.compactMap(\.reliabilityPercent)
            let literal = rapid.compactMap(\.literalPercent)
            network.append(Network(year: year, rapidChargePoints: rapid.count,
                                   reliabilityPercent: measured.isEmpty ? nil : measured.reduce(0, +) / Double(measured.count),
                                   literalPercent: literal.isEmpty ? nil : literal.reduce(0, +) / Double(literal.count),
                                   powerUnknown: yearPorts.filter { $0.rapid == nil }.count))
            ports += yearPorts
        }
        return (ports, network)
    }
}
