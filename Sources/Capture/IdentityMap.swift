import Foundation

/// The user's map from network endpoints to charge point identities, for
/// connections whose handshake (and so whose URL) is not in the capture.
///
/// CSV, one mapping per line, `endpoint,identity`, where the endpoint is a
/// client address with port (`10.0.0.5:51234`, `[fd00::5]:51234`), a client
/// address (`10.0.0.5`), or a client port alone (`51234`, for chargers
/// behind one NAT address). A header line and `#` comments are skipped.
/// The most specific match wins.
public struct IdentityMap: Sendable {
    private var byEndpoint: [String: String] = [:]
    private var byAddress: [String: String] = [:]
    private var byPort: [Int: String] = [:]

    public var isEmpty: Bool { byEndpoint.isEmpty && byAddress.isEmpty && byPort.isEmpty }

    public init() {}

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "identity map line \(line): \(text)" }
    }

    public init(csv: String) throws(ParseError) {
        for (n, raw) in csv.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let comma = line.lastIndex(of: ",") else {
                throw ParseError(line: n + 1, text: "expected `endpoint,identity`, got `\(line)`")
            }
            let key = line[..<comma].trimmingCharacters(in: .whitespaces)
            let identity = line[line.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if n == 0 && (identity.lowercased() == "identity" || identity.lowercased() == "charge_point") { continue }
            guard !key.isEmpty, !identity.isEmpty else { throw ParseError(line: n + 1, text: "empty endpoint or identity") }
            if let port = Int(key) {
                byPort[port] = identity
            } else if key.hasPrefix("["), let close = key.firstIndex(of: "]") {
                let addr = String(key[key.index(after: key.startIndex)..<close])
                if key[close...].count > 1 { byEndpoint["[\(addr)]" + key[key.index(after: close)...]] = identity } else { byAddress[addr] = identity }
            } else if key.filter({ $0 == ":" }).count == 1 {
                byEndpoint[key] = identity
            } else {
                byAddress[key] = identity
            }
        }
    }

    /// The identity for a client endpoint, if the map names it.
    public func identity(for client: Endpoint) -> String? {
        byEndpoint[client.text] ?? byAddress[client.address.text] ?? byPort[Int(client.port)]
    }
}

