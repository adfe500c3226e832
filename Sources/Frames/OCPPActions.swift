import Foundation

/// Which side may send each OCPP action.
///
/// Derived once from the message names of the OCA JSON schemas of OCPP
/// 1.6 (with the security extension), 2.0.1 and 2.1 (one schema per
/// request) and the specifications' "sent by" rules; kept as literals
/// because nothing shipped may read the schema files. `DataTransfer` is the
/// only action both sides may send.
public enum OCPPActions {
    /// Actions only a charge point sends (in any version).
    public static let fromChargePoint: Set<String> = [
        "Authorize", "BatterySwap", "BootNotification", "ClearedChargingLimit", "ClosePeriodicEventStream",
        "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Get15118EVCertificate",
        "GetCertificateChainStatus", "GetCertificateStatus", "Heartbeat", "LogStatusNotification", "MeterValues",
        "NotifyChargingLimit", "NotifyCustomerInformation", "NotifyDERAlarm", "NotifyDERStartStop",
        "NotifyDisplayMessages", "NotifyEVChargingNeeds", "NotifyEVChargingSchedule", "NotifyEvent",
        "NotifyMonitoringReport", "NotifyPeriodicEventStream", "NotifyPriorityCharging", "NotifyReport",
        "NotifySettlement", "OpenPeriodicEventStream", "PublishFirmwareStatusNotification",
        "PullDynamicScheduleUpdate", "ReportChargingProfiles", "ReportDERControl", "ReservationStatusUpdate",
        "SecurityEventNotification", "SignCertificate", "SignedFirmwareStatusNotification", "StartTransaction",
        "StatusNotification", "StopTransaction", "TransactionEvent", "VatNumberValidation"
    ]

    /// Actions only the CSMS sends (in any version).
    public static let fromCSMS: Set<String> = [
        "AFRRSignal", "AdjustPeriodicEventStream", "CancelReservation", "CertificateSigned", "ChangeAvailability",
        "ChangeConfiguration", "ChangeTransactionTariff", "ClearCache", "ClearChargingProfile", "ClearDERControl",
        "ClearDisplayMessage", "ClearTariffs", "ClearVariableMonitoring", "CostUpdated", "CustomerInformation",
        "DeleteCertificate", "ExtendedTriggerMessage", "GetBaseReport", "GetChargingProfiles",
        "GetCompositeSchedule", "GetConfiguration", "GetDERControl", "GetDiagnostics", "GetDisplayMessages",
        "GetInstalledCertificateIds", "GetLocalListVersion", "GetLog", "GetMonitoringReport",
        "GetPeriodicEventStream", "GetReport", "GetTariffs", "GetTransactionStatus", "GetVariables",
        "InstallCertificate", "NotifyAllowedEnergyTransfer", "NotifyWebPaymentStarted", "PublishFirmware",
        "RemoteStartTransaction", "RemoteStopTransaction", "RequestBatterySwap", "RequestStartTransaction",
        "RequestStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile", "SetDERControl",
        "SetDefaultTariff", "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel", "SetNetworkProfile",
        "SetVariableMonitoring", "SetVariables", "SignedUpdateFirmware", "TriggerMessage", "UnlockConnector",
        "UnpublishFirmware", "UpdateDynamicSchedule", "UpdateFirmware", "UsePriorityCharging"
    ]

    /// Actions either side may send.
    public static let fromEitherSide: Set<String> = ["DataTransfer"]

    /// The side that sends `action` as a CALL, when only one side may.
    public static func sender(of action: some StringProtocol) -> Direction? {
        var name = String(action)
        return name.withUTF8 { sender(ofBytes: UnsafeRawBufferPointer($0)) }
    }

    /// `sender(of:)` for an action's bytes, with no String made: an
    /// open-addressing table of the names' word hashes, the bytes compared
    /// on a hit. Why: a String per CALL, hashed for a Dictionary, was 4% of
    /// reading a JSON-lines log (callgrind, 10 MB benchmark log).
    public static func sender(ofBytes action: UnsafeRawBufferPointer) -> Direction? { senderTable[action]?.side }

    /// The action named by these bytes, as the literal String of this
    /// table, or nil for a name of no version. Why: an action's String,
    /// made for every CALL, was a heap allocation for most names (those
    /// over 15 bytes), freed on another thread, with its reference counts
    /// atomic at every copy; a literal is neither allocated nor counted.
    public static func name(ofBytes action: UnsafeRawBufferPointer) -> String? { senderTable[action]?.name }

    struct SenderTable {
        private static let size = 512
        private var hashes = [UInt64](repeating: 0, count: size)
        private var names = [[UInt8]](repeating: [], count: size)
        /// Per slot its action's literal and sending side (nil: either side).
        private var entries = [(name: String, side: Direction?)?](repeating: nil, count: size)

        /// Fixed: the keys are the table's own names, and a text that is no
        /// action costs one probe run of a table at most a quarter full.
        private static let seed: UInt64 = 0x6F63_7070_6163_7473

        init(_ table: [(name: String, side: Direction?)]) {
            precondition(table.count * 4 <= SenderTable.size)
            for (name, side) in table {
                let bytes = Array(name.utf8)
                let h = bytes.withUnsafeBytes { ByteWord.hash($0, seed: SenderTable.seed) }
                var i = Int(truncatingIfNeeded: h) & (SenderTable.size - 1)
                while entries[i] != nil { i = (i + 1) & (SenderTable.size - 1) }
                hashes[i] = h
                names[i] = bytes
                entries[i] = (name, side)
            }
        }

        subscript(_ b: UnsafeRawBufferPointer) -> (name: String, side: Direction?)? {
            let h = ByteWord.hash(b, seed: SenderTable.seed)
            var i = Int(truncatingIfNeeded: h) & (SenderTable.size - 1)
            while let e = entries[i] {
                if hashes[i] == h, names[i].withUnsafeBytes({ n in
                    n.count == b.count && (n.count == 0 || memcmp(n.baseAddress!, b.baseAddress!, n.count) == 0)
                }) { return e }
                i = (i + 1) & (SenderTable.size - 1)
            }
            return nil
        }
    }

    /// The three sets in one table, the charge point's first.
    private static let senderTable = SenderTable(
        fromChargePoint.map { ($0, .chargePointToCSMS) }
            + fromCSMS.subtracting(fromChargePoint).map { ($0, .csmsToChargePoint) }
            + fromEitherSide.subtracting(fromChargePoint).subtracting(fromCSMS).map { ($0, nil) })
}
