/// Infers the OCPP version of a connection whose handshake was not seen
/// (so no `Sec-WebSocket-Protocol`), from the actions and payload shapes of
/// its messages.
///
/// The action lists come from the official JSON schemas of each version
/// (1.6 with the security extension, 2.0.1, 2.1): an action that exists in
/// one family only decides the family; a 2.1-only action decides 2.1.
/// Payload shapes decide shared actions (a 1.6 BootNotification has
/// `chargePointVendor`, a 2.x one `chargingStation`).
public struct VersionInference: Sendable {
    static let only16: Set<String> = [
        "ChangeConfiguration", "DiagnosticsStatusNotification", "ExtendedTriggerMessage", "GetConfiguration",
        "GetDiagnostics", "RemoteStartTransaction", "RemoteStopTransaction", "SignedFirmwareStatusNotification",
        "SignedUpdateFirmware", "StartTransaction", "StopTransaction",
    ]
    static let only21: Set<String> = [
        "AFRRSignal", "AdjustPeriodicEventStream", "BatterySwap", "ChangeTransactionTariff", "ClearDERControl",
        "ClearTariffs", "ClosePeriodicEventStream", "GetCertificateChainStatus", "GetDERControl",
        "GetPeriodicEventStream", "GetTariffs", "NotifyAllowedEnergyTransfer", "NotifyDERAlarm", "NotifyDERStartStop",
        "NotifyPeriodicEventStream", "NotifyPriorityCharging", "NotifySettlement", "NotifyWebPaymentStarted",
        "OpenPeriodicEventStream", "PullDynamicScheduleUpdate", "ReportDERControl", "RequestBatterySwap",
        "SetDERControl", "SetDefaultTariff", "UpdateDynamicSchedule", "UsePriorityCharging", "VatNumberValidation",
    ]
    static let only2x: Set<String> = [
        "ClearDisplayMessage", "ClearVariableMonitoring", "ClearedChargingLimit", "CostUpdated", "CustomerInformation",
        "Get15118EVCertificate", "GetBaseReport", "GetCertificateStatus", "GetChargingProfiles", "GetDisplayMessages",
        "GetMonitoringReport", "GetReport", "GetTransactionStatus", "GetVariables", "NotifyChargingLimit",
        "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds", "NotifyEVChargingSchedule",
        "NotifyEvent", "NotifyMonitoringReport", "NotifyReport", "PublishFirmware", "PublishFirmwareStatusNotification",
        "ReportChargingProfiles", "RequestStartTransaction", "RequestStopTransaction", "ReservationStatusUpdate",
        "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel", "SetNetworkProfile", "SetVariableMonitoring",
        "SetVariables", "TransactionEvent",
    ]

    private var v16 = 0
    private var v2 = 0
    private var v21 = 0
    /// The first evidence, for the record (`StartTransaction`, `BootNotification shape`, …).
    public private(set) var evidence: String?

    public init() {}

    /// Takes one message; `payload` (its JSON text) is read only for actions
    /// both families share.
    public mutating func observe(action: String, type: MessageType, payload: UnsafeRawBufferPointer) {
        if VersionInference.only16.contains(action) { v16 += 1; evidence = evidence ?? action; return }
        if VersionInference.only21.contains(action) { v21 += 1; v2 += 1; evidence = evidence ?? action; return }
        if VersionInference.only2x.contains(action) { v2 += 1; evidence = evidence ?? action; return }
        guard type == .call else { return }
        switch action {
        case "BootNotification", "StatusNotification", "MeterValues", "Authorize":
            switch PayloadShape.family(payload) {
            case .v16:
                v16 += 1
                evidence = evidence ?? "\(action) payload shape"
            case .v2:
                v2 += 1
                evidence = evidence ?? "\(action) payload shape"
            case nil:
                break
            }
        default:
            break
        }
    }

    /// `1.6`, `2.1`, `2.0.1`, or nil with no (or contradictory) evidence.
    public var version: String? {
        if v16 > 0 && v2 > 0 { return nil }
        if v16 > 0 { return "1.6" }
        if v21 > 0 { return "2.1" }
        if v2 > 0 { return "2.0.1" }
        return nil
    }
}
