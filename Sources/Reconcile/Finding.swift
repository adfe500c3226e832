import Frames

/// What reconciliation concluded about one CDR, one session, or a pair.
public enum ResultKind: String, CaseIterable, Sendable {
    /// CDR and session agree within the tolerances.
    case matched
    /// Billed and measured energy differ beyond both tolerances.
    case energyMismatch = "energy_mismatch"
    /// Start or end differ beyond the time tolerance (the two still overlap).
    case timeMismatch = "time_mismatch"
    /// The CDR bills another token than the one that started the session.
    case tokenMismatch = "token_mismatch"
    /// Matched, but the session's own energy is flagged by the history, so
    /// the energies cannot settle the question either way.
    case unreliableSession = "unreliable_session"
    /// A second CDR for a session another CDR already bills.
    case duplicateCDR = "duplicate_cdr"
    /// Billed, but no session fits: no charge point reported it.
    case cdrWithoutSession = "cdr_without_session"
    /// Energy delivered, never billed.
    case sessionWithoutCDR = "session_without_cdr"
}

/// One line of the reconciliation: a result with the CDR and session it is about.
public struct Finding: Sendable {
    public var result: ResultKind
    public var cdr: ChargeDetailRecord?
    public var session: Session?
    /// The charge point and port: the session's, else the CDR's.
    public var chargePoint: String?
    public var evse: Int?
    public var connector: Int?
    public var cdrEnergyWh: Double?
    public var ocppEnergyWh: Double?
    /// Billed minus delivered, as far as this finding is concerned: for a
    /// duplicate or a CDR without a session the whole CDR; for a session
    /// without a CDR minus its energy.
    public var differenceWh: Double?
    /// The difference's value in `currency`: at the CDR's price per kWh, or
    /// for a duplicate or a CDR without a session its whole cost. For a session
    /// without a CDR, an estimate at the CDRs' average price (`valueEstimated`).
    public var value: Double?
    public var currency: String?
    public var valueEstimated = false
    public var detail: String

    /// For ordering: the CDR's start, else the session's.
    public var time: Timestamp? { cdr?.start ?? session?.start }
}
