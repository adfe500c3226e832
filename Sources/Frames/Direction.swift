/// Which way an OCPP message travelled.
///
/// It comes from which side opened the connection: the charge point is always
/// the WebSocket client and the CSMS the server (OCPP-J 1.6 §3, 2.0.1 part 4 §3).
public enum Direction: UInt8, Sendable, Hashable {
    case chargePointToCSMS = 0
    case csmsToChargePoint = 1

    /// The name used in JSON output and in the store.
    public var wireName: String {
        switch self {
        case .chargePointToCSMS: return "cp_to_csms"
        case .csmsToChargePoint: return "csms_to_cp"
        }
    }

    public init?(wireName: String) {
        switch wireName {
        case "cp_to_csms": self = .chargePointToCSMS
        case "csms_to_cp": self = .csmsToChargePoint
        default: return nil
        }
    }

    public var reversed: Direction { self == .chargePointToCSMS ? .csmsToChargePoint : .chargePointToCSMS }
}
