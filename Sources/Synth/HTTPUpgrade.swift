// The HTTP/1.1 opening handshake of an OCPP-J WebSocket connection.
//
// OCPP-J puts the charge point identity in the last path segment of the URL
// (`/ocpp/<identity>`), percent-encoded when it contains anything outside
// RFC 3986's unreserved set; the OCPP version is negotiated with
// Sec-WebSocket-Protocol (`ocpp1.6`, `ocpp2.0.1`, `ocpp2.1`) and compression
// with Sec-WebSocket-Extensions (RFC 7692). A decoder learns identity,
// version and compression only from this exchange, so Synth writes it in
// full, including the refusals a CSMS sends to unknown or unauthorised
// charge points.

/// permessage-deflate parameters the server agreed to (RFC 7692 §7.1).
public struct DeflateParameters: Sendable, Equatable {
    public var serverNoContextTakeover = false
    public var clientNoContextTakeover = false
    /// nil = not sent (15 is used).
    public var serverMaxWindowBits: Int? = nil
    public var clientMaxWindowBits: Int? = nil

    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The Sec-WebSocket-Extensions value of the server's response.
    public var headerValue: String {
        var s = "permessage-deflate"
        if serverNoContextTakeover { s += "; server_no_context_takeover" }
        if clientNoContextTakeover { s += "; client_no_context_takeover" }
        if let b = serverMaxWindowBits { s += "; server_max_window_bits=\(b)" }
        if let b = clientMaxWindowBits { s += "; client_max_window_bits=\(b)" }
        return s
    }
}

public enum HTTPUpgrade {
    /// RFC 6455 §1.3: the GUID appended to the key before hashing.
    public static let websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + websocketGUID).utf8)))
    }

    /// A fresh Sec-WebSocket-Key: base64 of 16 random bytes.
    public static func makeKey(_ rng: inout SynthRandom) -> String { Base64.encode(rng.bytes(16)) }

    /// Percent-encodes every byte of the UTF-8 form outside the unreserved
    /// set (ALPHA / DIGIT / "-" / "." / "_" / "~"), e.g. "CP 0003-Süd" →
    /// "CP%200003-S%C3%BCd".
    public static func percentEncode(_ s: String) -> String {
        let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(c)
            default:
                out.append(UInt8(ascii: "%")); out.append(upperHex[Int(c >> 4)]); out.append(upperHex[Int(c & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The charge point's upgrade request.
    public static func clientRequest(identity: String, host: String, pathPrefix: String = "/ocpp/",
                                     key: String, protocols: [String], offerDeflate: Bool,
                                     basicAuth: (user: String, password: String)? = nil) -> String {
        var s = "GET \(pathPrefix)\(percentEncode(identity)) HTTP/1.1\r\n"
        s += "Host: \(host)\r\n"
        s += "Upgrade: websocket\r\n"
        s += "Connection: Upgrade\r\n"
        s += "Sec-WebSocket-Key: \(key)\r\n"
        s += "Sec-WebSocket-Version: 13\r\n"
        s += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n"
        if offerDeflate { s += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" }
        if let auth = basicAuth {
            s += "Authorization: Basic \(Base64.encode(Array("\(auth.user):\(auth.password)".utf8)))\r\n"
        }
        s += "User-Agent: synth-chargepoint/1.0\r\n"
        s += "\r\n"
        return s
    }

    /// The CSMS's acceptance: 101 with the accept hash, chosen subprotocol and
    /// (when compression was agreed) the extension parameters.
    public static func switchingProtocols(key: String, protocol proto: String?, deflate: DeflateParameters?) -> String {
        var s = "HTTP/1.1 101 Switching Protocols\r\n"
        s += "Upgrade: websocket\r\n"
        s += "Connection: Upgrade\r\n"
        s += "Sec-WebSocket-Accept: \(acceptValue(forKey: key))\r\n"
        if let proto { s += "Sec-WebSocket-Protocol: \(proto)\r\n" }
        if let deflate { s += "Sec-WebSocket-Extensions: \(deflate.headerValue)\r\n" }
        s += "\r\n"
        return s
    }

    /// A refusal (401 for bad credentials, 404 for an unknown identity), with
    /// a small body and `Connection: close`.
    public static func refusal(status: Int) -> String {
        let reason: String
        var extra = ""
        switch status {
        case 401: reason = "Unauthorized"; extra = "WWW-Authenticate: Basic realm=\"OCPP\"\r\n"
        case 404: reason = "Not Found"
        default: reason = "Bad Request"
        }
        let body = "\(status) \(reason)\n"
        return "HTTP/1.1 \(status) \(reason)\r\n\(extra)Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    }
}
