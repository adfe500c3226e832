import Foundation
import Frames

/// The tolerances of `ocppscope reconcile`.
public struct ReconcileOptions: Sendable {
    /// Energies differ when the difference exceeds this many Wh *and* …
    public var energyToleranceWh: Double = 100
    /// … this percentage of the measured energy. Both, so that rounding a
    /// small session to 0.1 kWh is no finding, and neither is 50 Wh on 80 kWh.
    public var energyTolerancePercent: Double = 2
    /// How far CDR and session times may differ: chargers' clocks drift and
    /// CSMSs stamp CDRs with their own receipt times.
    public var timeToleranceSeconds: Double = 300

    /// For a database ingested with id tokens redacted to keyed hashes: the
    /// same hash, applied to the CDRs' tokens so they can be compared. Without
    /// it, hashed tokens (`h:` and 32 hex digits) are not compared at all.
    public var tokenHash: (@Sendable (String) -> String)?

    public init(energyToleranceWh: Double = 100, energyTolerancePercent: Double = 2, timeToleranceSeconds: Double = 300,
                tokenHash: (@Sendable (String) -> String)? = nil) {
        self.energyToleranceWh = energyToleranceWh
        self.energyTolerancePercent = energyTolerancePercent
        self.timeToleranceSeconds = timeToleranceSeconds
        self.tokenHash = tokenHash
    }

    /// Clamped to three thousand years: a tolerance past that means "any
    /// time", and `Int64(_: Double)` would trap on it.
    public var toleranceMicros: Int64 {
        Timestamp(roundingMicroseconds: min(max(timeToleranceSeconds, 0), 1e11) * 1_000_000)?.microseconds ?? 0
    }

    /// Whether billed and measured energy differ beyond both tolerances.
    public func energyDiffers(billedWh: Double, measuredWh: Double) -> Bool {
        let d = abs(billedWh - measuredWh)
        return d > energyToleranceWh && d > abs(measuredWh) * energyTolerancePercent / 100
    }
}

/// Matches CDRs with sessions and says what agrees and what does not.
///
/// Each CDR goes to at most one session: on the CDR's charge point and port
/// when it names them (from a CSV column or the EVSE map), otherwise on its
/// token; the times must overlap, widened by the time tolerance. Among the
/// pairs, those whose tokens also agree are taken first, then the closest
/// starts, one pair at a time, so a CDR never takes a session another fits
/// better. A CDR left over whose best session is already taken and that
/// covers the same charge (starts within the tolerance, or overlaps most of
/// it) is a duplicate; otherwise it has no session.
public struct Reconciler {
    public var options: ReconcileOptions

    public init(options: ReconcileOptions = ReconcileOptions()) { self.options = options }

    /// The time span the CDRs cover: [earliest start, latest end].
    public static func span(of cdrs: [ChargeDetailRecord]) -> (Timestamp, Timestamp)? {
        let starts = cdrs.compactMap(\.start)
        let ends = cdrs.compactMap(\.effectiveEnd)
        guard let lo = starts.min(), let hi = (ends + starts).max() else { return nil }
        return (lo, hi)
    }

    public func reconcile(cdrs input: [ChargeDetailRecord], sessions: [Session]) -> Reconciliation {
        // Credit CDRs cancel the CDR they name: both are set aside.
        let creditedIds = Set(input.filter(\.credit).compactMap(\.creditReference))
        let cdrs = input.filter { !$0.credit && !creditedIds.contains($0.id) }
        let credited = input.count - cdrs.count
        let tol = options.toleranceMicros

        // Candidate pairs.
        struct Pair { var cdr: Int; var session: Int; var priority: Int; var delta: Int64 }
        var pairs: [Pair] = []
        // Sessions by charge point and by token, so each CDR looks only at its
        // own, and only at those near its time (a year of a fleet stays fast).
        var byChargePoint = SessionIndex(), byToken = SessionIndex()
        for (j, s) in sessions.enumerated() {
            byChargePoint.add(j, s, key: s.chargePoint.lowercased())
            if let t = s.idToken { byToken.add(j, s, key: Self.tokenKey(t)) }
        }
        byChargePoint.seal()
        byToken.seal()
        for (i, c) in cdrs.enumerated() {
            guard let cStart = c.start?.microseconds else { continue }
            let cEnd = max(cStart, c.effectiveEnd?.microseconds ?? cStart)
            let nearby: [Int]
            if let cp = c.chargePoint {
                nearby = byChargePoint.overlapping(key: cp.lowercased(), from: cStart - tol, to: cEnd + tol)
            } else {
                nearby = Set(cdrTokenKeys(c).flatMap { byToken.overlapping(key: $0, from: cStart - tol, to: cEnd + tol) }).sorted()
            }
            for j in nearby {
                let s = sessions[j]
                guard let sStart = s.start?.microseconds else { continue }
                let sEnd = s.end.map { max(sStart, $0.microseconds) } ?? Int64.max / 2
                guard cStart <= sEnd + tol, sStart <= cEnd + tol else { continue }
                let tokens = tokensAgree(c, s)
                let priority: Int
                if let cp = c.chargePoint {
                    guard cp.caseInsensitiveCompare(s.chargePoint) == .orderedSame,
                          c.port?.contains(evse: s.evse, connector: s.connector) ?? true else { continue }
                    priority = tokens == true ? 0 : 1
                } else {
                    guard tokens == true else { continue }
                    priority = 2
                }
                pairs.append(Pair(cdr: i, session: j, priority: priority, delta: abs(cStart - sStart)))
            }
        }
        pairs.sort { ($0.priority, $0.delta, $0.cdr, $0.session) < ($1.priority, $1.delta, $1.cdr, $1.session) }
        var bestPair: [Int: Pair] = [:]
        for p in pairs where bestPair[p.cdr] == nil { bestPair[p.cdr] = p }

        var sessionOf: [Int: Int] = [:]   // cdr -> session
        var cdrOf: [Int: Int] = [:]       // session -> cdr
        for p in pairs where sessionOf[p.cdr] == nil && cdrOf[p.session] == nil {
            sessionOf[p.cdr] = p.session
            cdrOf[p.session] = p.cdr
        }

        let prices = Self.averagePrices(cdrs)
        var findings: [Finding] = []

        // Pairs, duplicates and CDRs without a session.
        for (i, c) in cdrs.enumerated() {
            if let j = sessionOf[i] {
                findings += pairFindings(c, sessions[j])
                continue
            }
            // The best pair of this CDR, all of whose sessions are taken.
            if let best = bestPair[i], let first = cdrOf[best.session],
               coversSameCharge(c, sessions[best.session]) {
                let s = sessions[best.session]
                var f = base(.duplicateCDR, c, s)
                f.differenceWh = c.energyWh
                f.value = c.costExclVat ?? c.costInclVat
                f.currency = c.currency
                let again = c.energyWh.map { ", and bills \(kwh($0)) again" } ?? ""
                let same = cdrs[first].id == c.id ? " (the same CDR id twice)" : ""
                f.detail = "\(sessionText(s)) is already billed by CDR \(cdrs[first].id)\(same)\(again)" + periodsNote(c)
                findings.append(f)
                continue
            }
            var f = base(.cdrWithoutSession, c, nil)
            f.differenceWh = c.energyWh
            f.value = c.costExclVat ?? c.costInclVat
            f.currency = c.currency
            let window = "\(c.start.map(\.iso8601) ?? "?") – \(c.effectiveEnd.map(\.iso8601) ?? "?") (± \(seconds(options.timeToleranceSeconds)))"
            if let best = bestPair[i], let first = cdrOf[best.session] {
                let by = c.chargePoint != nil ? "on \(c.whereText)" : "of token \(c.token ?? "?")"
                f.detail = "no free session \(by) overlaps \(window); it overlaps \(sessionText(sessions[best.session])), "
                    + "billed by CDR \(cdrs[first].id), but does not cover the same charge"
            } else if c.chargePoint != nil {
                f.detail = "no session on \(c.whereText) overlaps \(window)"
            } else {
                f.detail = "no session of token \(c.token ?? "?") overlaps \(window)"
            }
            if c.chargePoint == nil, let e = c.evseId ?? c.evseUid { f.detail = "EVSE \(e) is not in the EVSE map, and " + f.detail }
            f.detail += periodsNote(c)
            findings.append(f)
        }

        // Sessions nobody billed, within the span the CDRs cover.
        var openNotBillable = 0, outsideSpan = 0, nothingDelivered = 0
        let span = Self.span(of: cdrs)
        var delivered = 0.0
        for (j, s) in sessions.enumerated() {
            if cdrOf[j] != nil { delivered += s.energyWh ?? 0; continue }
            guard let (lo, hi) = span, let st = s.start else { outsideSpan += 1; continue }
            if s.openAtEnd {
                // Still charging when the data ends: no CDR is due yet.
                if st.microseconds >= lo.microseconds - tol && st.microseconds <= hi.microseconds + tol { openNotBillable += 1 } else { outsideSpan += 1 }
                continue
            }
            // A session whose stop was never seen (missing_stop) ended nonetheless: judge it by its start.
            let en = s.end ?? st
            guard st.microseconds >= lo.microseconds - tol, en.microseconds <= hi.microseconds + tol else {
                outsideSpan += 1
                continue
            }
            if let e = s.energyWh, e <= 0 { nothingDelivered += 1; continue }
            if s.energyWh == nil && s.flags.contains("start_rejected") { nothingDelivered += 1; continue }
            delivered += s.energyWh ?? 0
            var f = base(.sessionWithoutCDR, nil, s)
            f.differenceWh = s.energyWh.map { -$0 }
            var d = "\(s.energyWh.map(kwh) ?? "unknown energy") delivered \(s.start.map(\.iso8601) ?? "?") – \(s.end.map(\.iso8601) ?? "?")"
            d += " on \(s.chargePoint) \(s.portText) to token \(s.idToken ?? "?"); no CDR bills it"
            let unreliable = s.unreliableReasons
            if !unreliable.isEmpty { d += " (the energy is unreliable: \(unreliable.joined(separator: ", ")))" }
            if let e = s.energyWh, prices.count == 1, let (cur, price) = prices.first {
                f.value = -e / 1000 * price
                f.currency = cur
                f.valueEstimated = true
                d += String(format: "; about %.2f %@ at the CDRs' average %.4f %@/kWh", e / 1000 * price, cur, price, cur)
            }
            f.detail = d
            findings.append(f)
        }

        findings.sort { a, b in
            let ta = a.time?.microseconds ?? .max, tb = b.time?.microseconds ?? .max
            if ta != tb { return ta < tb }
            if (a.chargePoint ?? "") != (b.chargePoint ?? "") { return (a.chargePoint ?? "") < (b.chargePoint ?? "") }
            let ka = ResultKind.allCases.firstIndex(of: a.result)!, kb = ResultKind.allCases.firstIndex(of: b.result)!
            if ka != kb { return ka < kb }
            return (a.cdr?.id ?? "", a.session?.sessionNo ?? 0) < (b.cdr?.id ?? "", b.session?.sessionNo ?? 0)
        }
        // CDR-only rows: say EVSE for charge points that speak 2.x.
        let twoX = Set(sessions.filter { $0.evse != nil }.map(\.chargePoint))
        for k in findings.indices where findings[k].session == nil {
            if let cp = findings[k].chargePoint, twoX.contains(cp), let p = findings[k].cdr?.port {
                findings[k].evse = p.number
                findings[k].connector = p.connector
            }
        }

        let billed = cdrs.reduce(0.0) { $0 + ($1.energyWh ?? 0) }
        var result = Reconciliation(findings: findings, cdrCount: cdrs.count, creditedCDRs: credited, sessionsOpen: openNotBillable,
                                    sessionsOutsideSpan: outsideSpan, sessionsWithoutEnergy: nothingDelivered,
                                    billedWh: billed, deliveredWh: delivered, span: span)
        result.tokensRedacted = options.tokenHash == nil && sessions.contains { $0.idToken.map(Self.looksHashed) ?? false }
        return result
    }

    // MARK: One pair

    private func pairFindings(_ c: ChargeDetailRecord, _ s: Session) -> [Finding] {
        var out: [Finding] = []
        let tolUs = options.toleranceMicros
        let diff: Double? = c.energyWh.flatMap { b in s.energyWh.map { b - $0 } }
        let price = c.pricePerKWh
        func withEnergy(_ kind: ResultKind, _ detail: String) -> Finding {
            var f = base(kind, c, s)
            f.differenceWh = diff
            if let d = diff, let price { f.value = d / 1000 * price; f.currency = c.currency }
            f.detail = detail + periodsNote(c)
            return f
        }
        let energyText = "billed \(c.energyWh.map(kwh) ?? "?"), the charger measured \(s.energyWh.map(kwh) ?? "?") (\(s.energySource))"

        if tokensAgree(c, s) == false {
            out.append(withEnergy(.tokenMismatch, "the CDR bills token \(c.token ?? "?")\(c.contractId.map { " (contract \($0))" } ?? ""), but \(sessionText(s)) was started by \(s.idToken ?? "?")"))
        }
        var timeIssues: [String] = []
        if let a = c.start, let b = s.start, abs(a.microseconds - b.microseconds) > tolUs {
            timeIssues.append("start \(a.iso8601) vs \(b.iso8601) (\(signedSeconds(a.microseconds - b.microseconds)))")
        }
        if let a = c.effectiveEnd, let b = s.end, abs(a.microseconds - b.microseconds) > tolUs {
            timeIssues.append("end \(a.iso8601) vs \(b.iso8601) (\(signedSeconds(a.microseconds - b.microseconds)))")
        }
        if !timeIssues.isEmpty {
            out.append(withEnergy(.timeMismatch, "CDR and \(sessionText(s)) differ beyond \(seconds(options.timeToleranceSeconds)): " + timeIssues.joined(separator: "; ")))
        }
        let unreliable = s.unreliableReasons
        if !unreliable.isEmpty {
            var d = "\(sessionText(s))'s energy is flagged (\(unreliable.joined(separator: ", "))): \(energyText)"
            if let diff { d += ", \(signedWh(diff))" }
            out.append(withEnergy(.unreliableSession, d))
        } else if let b = c.energyWh, let m = s.energyWh, options.energyDiffers(billedWh: b, measuredWh: m) {
            let pct = m != 0 ? String(format: " (%+.1f%%)", (b - m) / m * 100) : ""
            var d = "\(sessionText(s)): \(energyText): \(signedWh(b - m))\(pct)"
            if let v = price.map({ (b - m) / 1000 * $0 }), let cur = c.currency { d += String(format: ", %+.2f %@", v, cur) }
            out.append(withEnergy(.energyMismatch, d))
        }
        if out.isEmpty {
            var d = "\(sessionText(s)): \(energyText)"
            if let diff, diff != 0 { d += ", \(signedWh(diff))" }
            if let a = c.start, let b = s.start, abs(a.microseconds - b.microseconds) >= 1_000_000 {
                d += "; start differs by \(signedSeconds(a.microseconds - b.microseconds))"
            }
            out.append(withEnergy(.matched, d))
        }
        return out
    }

    private func base(_ kind: ResultKind, _ c: ChargeDetailRecord?, _ s: Session?) -> Finding {
        Finding(result: kind, cdr: c, session: s, chargePoint: s?.chargePoint ?? c?.chargePoint,
                evse: s?.evse, connector: s != nil ? s?.connector : c?.port?.number,
                cdrEnergyWh: c?.energyWh, ocppEnergyWh: s?.energyWh, differenceWh: nil, value: nil, currency: c?.currency,
                detail: "")
    }

    /// Whether the CDR's token is the session's: nil when either is unknown
    /// (or the session's is a keyed hash and no hash was given). OCPP 1.6 id
    /// tags compare without case; an OCPI contract id may stand where a 2.x
    /// eMAID token does.
    func tokensAgree(_ c: ChargeDetailRecord, _ s: Session) -> Bool? {
        guard let st = s.idToken?.trimmingCharacters(in: .whitespaces), !st.isEmpty else { return nil }
        if options.tokenHash == nil && Self.looksHashed(st) { return nil }
        let keys = cdrTokenKeys(c)
        guard !keys.isEmpty else { return nil }
        return keys.contains(Self.tokenKey(st))
    }

    /// The keys under which the CDR's uid or contract id would be stored.
    func cdrTokenKeys(_ c: ChargeDetailRecord) -> [String] {
        let raw = [c.token, c.contractId].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let hash = options.tokenHash else { return raw.map(Self.tokenKey) }
        // The hash sees the value as the charger sent it; 1.6 tags are usually upper case.
        return raw.flatMap { [hash($0), hash($0.uppercased())] }.map(Self.tokenKey)
    }

    /// A token redacted by `ingest --redact`: `h:` and 32 hex digits.
    static func looksHashed(_ t: String) -> Bool {
        t.hasPrefix("h:") && t.count == 34 && t.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// Tokens compared without case, spaces, or the separators of eMAIDs (`DE-OSC-C12345678-9`).
    static func tokenKey(_ t: String) -> String {
        t.uppercased().filter { $0 != "-" && $0 != "*" && $0 != " " }
    }

    /// A leftover CDR is a duplicate of a taken session when it bills the same
    /// charge: it starts within the tolerance, or — on the same port — overlaps
    /// at least half of the shorter of the two. (Matched on token alone, the
    /// start must agree: one card may charge at two places in a morning.)
    private func coversSameCharge(_ c: ChargeDetailRecord, _ s: Session) -> Bool {
        guard let cs = c.start?.microseconds, let ss = s.start?.microseconds else { return false }
        if abs(cs - ss) <= options.toleranceMicros { return true }
        guard c.chargePoint != nil else { return false }
        let ce = max(cs, c.effectiveEnd?.microseconds ?? cs)
        guard let se = s.end?.microseconds else { return false }
        let overlap = min(ce, se) - max(cs, ss)
        let shorter = min(ce - cs, se - ss)
        return shorter > 0 && overlap * 2 >= shorter
    }

    /// Average price per kWh per currency over the CDRs that carry a cost.
    static func averagePrices(_ cdrs: [ChargeDetailRecord]) -> [String: Double] {
        var cost: [String: Double] = [:], energy: [String: Double] = [:]
        for c in cdrs {
            guard let cur = c.currency, let wh = c.energyWh, wh > 0, let p = c.pricePerKWh else { continue }
            cost[cur, default: 0] += p * wh / 1000
            energy[cur, default: 0] += wh / 1000
        }
        return cost.compactMapValues { $0 }.reduce(into: [:]) { $0[$1.key] = $1.value / energy[$1.key]! }
    }

    private func periodsNote(_ c: ChargeDetailRecord) -> String {
        guard let p = c.periodsEnergyWh, let t = c.energyWh, abs(p - t) > options.energyToleranceWh else { return "" }
        return "; note: its charging_periods add up to \(kwh(p)), total_energy says \(kwh(t))"
    }

    private func sessionText(_ s: Session) -> String {
        "session \(s.sessionNo) of \(s.chargePoint) \(s.portText) (transaction \(s.transactionId ?? "?"))"
    }
}

/// Sessions grouped by a key (charge point, token), each group sorted by
/// start, to find those overlapping a time window without scanning them all.
struct SessionIndex {
    private struct Group {
        var closed: [(start: Int64, end: Int64, index: Int)] = []
        var longest: Int64 = 0
        /// Sessions without an end (still running, stop never seen): always candidates once started.
        var open: [(start: Int64, index: Int)] = []
    }
    private var groups: [String: Group] = [:]

    mutating func add(_ index: Int, _ s: Session, key: String) {
        guard let start = s.start?.microseconds else { return }
        if let end = s.end?.microseconds {
            let e = max(start, end)
            groups[key, default: Group()].closed.append((start, e, index))
            groups[key]!.longest = max(groups[key]!.longest, e - start)
        } else {
            groups[key, default: Group()].open.append((start, index))
        }
    }

    mutating func seal() {
        for k in groups.keys { groups[k]!.closed.sort { $0.start < $1.start } }
    }

    /// Indices of the sessions under `key` whose time meets [from, to].
    func overlapping(key: String, from: Int64, to: Int64) -> [Int] {
        guard let g = groups[key] else { return [] }
        var out = g.open.filter { $0.start <= to }.map(\.index)
        // The first session starting after `to`; none before it can start earlier than from − longest and still reach `from`.
        var lo = 0, hi = g.closed.count
        while lo < hi { let mid = (lo + hi) / 2; if g.closed[mid].start <= to { lo = mid + 1 } else { hi = mid } }
        var k = lo - 1
        while k >= 0 && g.closed[k].start >= from - g.longest {
            if g.closed[k].end >= from { out.append(g.closed[k].index) }
            k -= 1
        }
        return out
    }
}

/// The outcome: findings plus the totals of the summary.
public struct Reconciliation: Sendable {
    public var findings: [Finding]
    public var cdrCount: Int
    public var creditedCDRs: Int
    public var sessionsOpen: Int
    public var sessionsOutsideSpan: Int
    public var sessionsWithoutEnergy: Int
    /// Energy of all CDRs considered (duplicates included: they were billed).
    public var billedWh: Double
    /// Energy of the sessions in scope: matched, and delivered without a CDR.
    public var deliveredWh: Double
    public var span: (Timestamp, Timestamp)?
    /// The sessions' id tokens are keyed hashes and no hash was given: tokens
    /// were neither compared nor used to match.
    public var tokensRedacted = false

    public func count(_ kind: ResultKind) -> Int { findings.filter { $0.result == kind }.count }

    /// Value per currency of what was billed beyond delivery (positive) and
    /// delivered beyond billing (negative): energy mismatches at the CDR's
    /// price, duplicates and CDRs without a session at their whole cost,
    /// unbilled sessions at the CDRs' average price (an estimate).
    public var valueByCurrency: [String: (over: Double, under: Double, estimated: Bool)] {
        var out: [String: (over: Double, under: Double, estimated: Bool)] = [:]
        let counted: Set<ResultKind> = [.energyMismatch, .duplicateCDR, .cdrWithoutSession, .sessionWithoutCDR]
        for f in findings where counted.contains(f.result) {
            guard let v = f.value, let cur = f.currency else { continue }
            var e = out[cur] ?? (0, 0, false)
            if v > 0 { e.over += v } else { e.under += v }
            if f.valueEstimated { e.estimated = true }
            out[cur] = e
        }
        return out
    }

    /// The summary printed after the findings.
    public var summaryLines: [String] {
        var lines: [String] = []
        let counts = ResultKind.allCases.map { "\($0.rawValue) \(count($0))" }
        lines.append("results: " + counts.joined(separator: ", "))
        var cdrs = "CDRs: \(cdrCount)"
        if creditedCDRs > 0 { cdrs += " (\(creditedCDRs) credit or credited CDRs set aside)" }
        if let (a, b) = span { cdrs += ", covering \(a.iso8601) – \(b.iso8601)" }
        lines.append(cdrs)
        var notChecked: [String] = []
        if sessionsOpen > 0 { notChecked.append("\(sessionsOpen) still open when the data ends (not billable yet)") }
        if sessionsWithoutEnergy > 0 { notChecked.append("\(sessionsWithoutEnergy) that delivered nothing") }
        if sessionsOutsideSpan > 0 { notChecked.append("\(sessionsOutsideSpan) outside the CDRs' time span") }
        if !notChecked.isEmpty { lines.append("sessions not expected in the CDRs: " + notChecked.joined(separator: ", ")) }
        if tokensRedacted {
            lines.append("note: the database's id tokens are keyed hashes (ingest --redact): tokens were not compared, and CDRs without a mapped EVSE could not be matched")
        }
        lines.append(String(format: "energy: %.3f kWh delivered (sessions in scope), %.3f kWh billed, difference %+.3f kWh",
                            deliveredWh / 1000, billedWh / 1000, (billedWh - deliveredWh) / 1000))
        for (cur, v) in valueByCurrency.sorted(by: { $0.key < $1.key }) {
            var s = String(format: "value (%@, excl. VAT where given): %+.2f billed beyond delivery, %+.2f delivered but not billed", cur, v.over, v.under)
            if v.estimated { s += " (unbilled sessions at the CDRs' average price)" }
            lines.append(s)
        }
        return lines
    }
}

func kwh(_ wh: Double) -> String { String(format: "%.3f kWh", wh / 1000) }
func signedWh(_ wh: Double) -> String { String(format: "%+.0f Wh", wh) }
func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }
func signedSeconds(_ us: Int64) -> String { String(format: "%+.0f s", Double(us) / 1_000_000) }
