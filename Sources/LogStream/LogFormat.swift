/// The log formats the reader knows, by the names `--log-format` takes.
public enum LogFormat: String, Sendable, CaseIterable {
    /// One JSON object per line with time, identity, direction and message fields.
    case jsonLines = "json"
    /// The Python `ocpp` library's `<id>: send [...]` / `<id>: receive message [...]`.
    case pythonOCPP = "python-ocpp"
    /// evcc's OCPP log (ocpp-go underneath).
    case evcc
    /// EVerest libocpp's message log (`ChargePoint>CentralSystem`, pretty-printed JSON).
    case everest
    /// SteVe's WebSocket log (`[chargeBoxId=…] Received: [...]`).
    case steve
    /// A header line per row and the OCPP-J message in a column.
    case csv
    /// A timestamp, an identity, a direction word or arrow and an OCPP-J array,
    /// one per line or pretty-printed across lines.
    case generic
    /// The user's `--pattern`.
    case pattern

    /// The name or one of its aliases, as users type them.
    public init?(name: String) {
        let n = name.lowercased()
        if let f = LogFormat(rawValue: n) { self = f; return }
        switch n {
        case "jsonl", "json-lines", "ndjson": self = .jsonLines
        case "python", "ocpp-python", "mobilityhouse", "home-assistant", "homeassistant", "ha": self = .pythonOCPP
        case "libocpp", "everest-libocpp": self = .everest
        case "text", "plain", "pretty": self = .generic
        default: return nil
        }
    }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
