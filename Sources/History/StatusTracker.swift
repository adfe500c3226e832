import Frames
import OCPP

/// Status over time per connector (1.6) or per EVSE and connector (2.x),
/// from StatusNotification and, for 2.x, NotifyEvent reports of
/// `AvailabilityState`.
final class StatusTracker {
    private let chargePoint: String
    private let emit: (StatusInterval) -> Void
    private var current: [Key: StatusInterval] = [:]
    private var order: [Key] = []

    struct Key: Hashable { var evse: Int?; var connector: Int }

    init(chargePoint: String, emit: @escaping (StatusInterval) -> Void) {
        self.chargePoint = chargePoint
        self.emit = emit
    }

    func message(_ m: HistoryMessage) {
        guard m.type == .call, m.direction == .chargePointToCSMS else { return }
        let p = m.payload
        switch m.kind {
        case .statusNotification:
            if let status = p["status"]?.string {
                // 1.6
                report(Key(evse: nil, connector: p["connectorId"]?.int ?? 0), status: status,
                       errorCode: p["errorCode"]?.string, info: p["info"]?.string, vendorError: p["vendorErrorCode"]?.string,
                       reported: p["timestamp"]?.timestamp, m, source: "StatusNotification")
            } else if let status = p["connectorStatus"]?.string {
                // 2.0.1 / 2.1
                report(Key(evse: p["evseId"]?.int, connector: p["connectorId"]?.int ?? 0), status: status, errorCode: nil,
                       info: nil, vendorError: nil, reported: p["timestamp"]?.timestamp, m,
                       source: "StatusNotification")
            }
        case .notifyEvent:
            for e in p["eventData"]?.array ?? [] where e["variable"]?["name"]?.string == "AvailabilityState" {
                guard let value = e["actualValue"]?.string else { continue }
                let evse = e["component"]?["evse"]?["id"]?.int
                let connector = e["component"]?["evse"]?["connectorId"]?.int ?? 0
                report(Key(evse: evse, connector: connector), status: value, errorCode: nil, info: e["techInfo"]?.string,
                       vendorError: e["techCode"]?.string, reported: e["timestamp"]?.timestamp,
                       m, source: "NotifyEvent")
            }
        default:
            break
        }
    }

    private func report(_ key: Key, status: String, errorCode: String?, info: String?, vendorError: String?,
                        reported: Timestamp?, _ m: HistoryMessage, source: String) {
        if var open = current[key] {
            // A report that repeats the current state is not a change.
            if open.status == status && open.errorCode == errorCode && open.info == info && open.vendorErrorCode == vendorError { return }
            open.to = m.time
            emit(open)
        } else {
            order.append(key)
        }
        current[key] = StatusInterval(chargePoint: chargePoint, evse: key.evse, connector: key.connector, status: status,
                                      errorCode: errorCode, info: info, vendorErrorCode: vendorError, from: m.time, to: nil,
                                      reportedAt: reported, source: source, message: m.id, toIsDataEnd: false)
    }

    /// The last interval of each connector runs to the end of the data, marked so.
    func finish(dataEnd: Timestamp?) {
        for key in order {
            guard var open = current[key] else { continue }
            open.to = dataEnd.map { max($0, open.from) }
            open.toIsDataEnd = true
            emit(open)
        }
        current.removeAll()
    }
}
