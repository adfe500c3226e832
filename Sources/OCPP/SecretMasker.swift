/// Masks the secrets OCPP carries in payloads, so they are never stored or
/// printed: the 1.6 `AuthorizationKey` (ChangeConfiguration, and a
/// GetConfiguration answer that should not but does return it) and the 2.x
/// `BasicAuthPassword` (SetVariables, GetVariables answers).
///
/// Only these actions are parsed; every other message passes untouched.
public enum SecretMasker {
    public static let mask = "***"

    static let secretKeys16: Set<String> = ["AuthorizationKey"]
    static let secretVariables2: Set<String> = ["BasicAuthPassword"]

    /// Whether messages of this action (CALL or its answer) may carry a secret.
    public static func mayCarrySecret(_ action: String) -> Bool {
        // Told apart by length first (a native String knows it): the four
        // comparisons of the switch ran for every message, 34 M instructions
        // of `decode`'s OCPP-J thread on the 40 MB benchmark corpus.
        switch action.utf8.count {
        case 12, 16, 19: break
        default: return false
        }
        switch action {
        case "ChangeConfiguration", "GetConfiguration", "SetVariables", "GetVariables": return true
        default: return false
        }
    }

    /// Returns the payload with secrets masked and how many were masked, or
    /// nil when there was nothing to mask.
    public static func masked(payload: JSONValue, action: String, isCall: Bool) -> (JSONValue, Int)? {
        var count = 0
        let result: JSONValue
        switch (action, isCall) {
        case ("ChangeConfiguration", true):
            guard let key = payload["key"]?.string, secretKeys16.contains(key), payload["value"] != nil else { return nil }
            result = replacing(payload, "value", with: .string(mask))
            count = 1
        case ("GetConfiguration", false):
            guard case .array(let keys)? = payload["configurationKey"] else { return nil }
            let newKeys = keys.map { entry -> JSONValue in
                guard let k = entry["key"]?.string, secretKeys16.contains(k), entry["value"] != nil else { return entry }
                count += 1
                return replacing(entry, "value", with: .string(mask))
            }
            result = replacing(payload, "configurationKey", with: .array(newKeys))
        case ("SetVariables", true):
            guard case .array(let items)? = payload["setVariableData"] else { return nil }
            let newItems = items.map { item -> JSONValue in
                guard let name = item["variable"]?["name"]?.string, secretVariables2.contains(name), item["attributeValue"] != nil else { return item }
                count += 1
                return replacing(item, "attributeValue", with: .string(mask))
            }
            result = replacing(payload, "setVariableData", with: .array(newItems))
        case ("GetVariables", false):
            guard case .array(let items)? = payload["getVariableResult"] else { return nil }
            let newItems = items.map { item -> JSONValue in
                guard let name = item["variable"]?["name"]?.string, secretVariables2.contains(name), item["attributeValue"] != nil else { return item }
                count += 1
                return replacing(item, "attributeValue", with: .string(mask))
            }
            result = replacing(payload, "getVariableResult", with: .array(newItems))
        default:
            return nil
        }
        return count > 0 ? (result, count) : nil
    }

    private static func replacing(_ object: JSONValue, _ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(let members) = object else { return object }
        return .object(members.map { $0.0 == key ? ($0.0, value) : $0 })
    }
}
