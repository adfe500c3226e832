import Foundation

/// The HTTP/1.1 request and response that open a WebSocket (RFC 6455 §4).
///
/// Recognised by content, not by port: a client stream that starts with
/// `GET ` and a server stream that starts with `HTTP/1.`. Only the header
/// block is parsed; a refusal's body is skipped by its Content-Length.
struct HTTPHead {
    var startLine: String
    /// Header names lower-cased; repeated headers joined with ", " (RFC 9110 §5.3).
    var headers: [String: String]
    /// Bytes of the head including the blank line.
    var length: Int

    /// Why a limit: a peer that never ends its header block must not make
    /// the connection buffer grow without bound.
    static let maxLength = 32 * 1024

    enum ParseResult {
        case needMore
        case head(HTTPHead)
        case tooLong
    }

    static func parse(_ b: UnsafeRawBufferPointer) -> ParseResult {
        // Find CRLFCRLF (tolerating bare LFLF, which some embedded stacks send).
        var end = -1
        var i = 0
        let n = min(b.count, maxLength)
        while i < n {
            if b[i] == 10 {
                if i + 1 < n && b[i + 1] == 10 { end = i + 2; break }
                if i + 2 < n && b[i + 1] == 13 && b[i + 2] == 10 { end = i + 3; break }
            }
            i += 1
        }
        if end < 0 { return b.count >= maxLength ? .tooLong : .needMore }
        let (first, headers) = fields(UnsafeRawBufferPointer(rebasing: b[0..<end]))
        return .head(HTTPHead(startLine: first ?? "", headers: headers, length: end))
    }

    /// Reads the complete lines of a head cut short (no blank line yet).
    static func parsePartial(_ b: UnsafeRawBufferPointer) -> HTTPHead? {
        var lastLF = -1
        for i in 0..<min(b.count, maxLength) where b[i] == 10 { lastLF = i }
        guard lastLF >= 0 else {
            // Not even the start line is whole; keep it if it looks like one.
            let text = String(decoding: b.prefix(200), as: UTF8.self)
            guard text.hasPrefix("GET ") || text.hasPrefix("HTTP/") else { return nil }
            return HTTPHead(startLine: text, headers: [:], length: b.count)
        }
        let (first, headers) = fields(UnsafeRawBufferPointer(rebasing: b[0...lastLF]))
        guard let first else { return nil }
        return HTTPHead(startLine: first, headers: headers, length: b.count)
    }

    /// The start line and the header fields of whole lines (LF or CRLF
    /// ended; empty lines skipped), read as bytes: names lower-cased (ASCII:
    /// field names are tokens), values without surrounding spaces and tabs
    /// (RFC 9110 §5.5), repeated fields joined with ", ".
    ///
    /// Why bytes: through Strings, splitting into Characters and Foundation's
    /// trimming cost about 360,000 instructions per head, a tenth of decoding
    /// a 20 MB capture of 1,000 connections.
    static func fields(_ b: UnsafeRawBufferPointer) -> (String?, [String: String]) {
        var first: String?
        // Room for a handshake's usual fields: grown from empty, the table was
        // rehashed three times a head (perf: a fifth of parsing it).
        var headers = [String: String](minimumCapacity: 16)
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == 10 {
            var end = i
            if end > start && b[end - 1] == 13 { end -= 1 }
            defer { start = i + 1 }
            guard end > start else { continue }
            let line = UnsafeRawBufferPointer(rebasing: b[start..<end])
            guard first != nil else { first = String(decoding: line, as: UTF8.self); continue }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: trimmed(UnsafeRawBufferPointer(rebasing: line[..<colon])).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
            let value = String(decoding: trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...])), as: UTF8.self)
            if let old = headers[name] { headers[name] = old + ", " + value } else { headers[name] = value }
        }
        return (first, headers)
    }

    private static func trimmed(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 32 || b[lo] == 9) { lo += 1 }
        while hi > lo && (b[hi - 1] == 32 || b[hi - 1] == 9) { hi -= 1 }
        return UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }

    /// The request target of a request line (`GET /ocpp/CP1 HTTP/1.1`).
    var requestTarget: String? { HTTPHead.secondWord(of: startLine).map { String(decoding: $0, as: UTF8.self) } }

    /// The status code of a status line (`HTTP/1.1 101 Switching Protocols`).
    var statusCode: Int? { HTTPHead.secondWord(of: startLine).flatMap { Int(String(decoding: $0, as: UTF8.self)) } }

    /// The second space-separated word of a start line, as bytes.
    ///
    /// Why bytes, here and in `identity` and `basicAuthUser`: splitting
    /// Strings into Characters and Foundation's trimming and searching made a
    /// handshake cost about 20 µs, over half of decoding a capture whose
    /// chargers reconnect every two minutes (perf: 500 charge points,
    /// 24,948 connections in 100 MB).
    private static func secondWord(of line: String) -> ArraySlice<UInt8>? {
        let words = Array(line.utf8).split(separator: UInt8(ascii: " "), maxSplits: 2)
        return words.count >= 2 ? words[1] : nil
    }

    /// The charge point identity: the last non-empty segment of the request
    /// path, percent-decoded (OCPP-J 1.6 §3.1.1; 2.0.1 part 4 §3.1.1). A
    /// query string is not part of it.
    static func identity(fromTarget target: String) -> String? {
        var path = Array(target.utf8)[...]
        if let q = path.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { path = path[..<q] }
        // An absolute-form target (`ws://host/ocpp/CP1`) keeps only its path.
        if let scheme = path.indices.first(where: { i in
            i + 2 < path.endIndex && path[i] == UInt8(ascii: ":") && path[i + 1] == UInt8(ascii: "/") && path[i + 2] == UInt8(ascii: "/")
        }) {
            let rest = path[(scheme + 3)...]
            path = rest.firstIndex(of: UInt8(ascii: "/")).map { rest[$0...] } ?? []
        }
        guard let last = path.split(separator: UInt8(ascii: "/")).last else { return nil }
        return percentDecoded(last)
    }

    static func percentDecoded(_ u: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(u.count)
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == 37, i + 2 < u.endIndex, let h = hexValue(u[i + 1]), let l = hexValue(u[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }

    /// The user name of an `Authorization: Basic …` header. The password —
    /// the charge point's secret under security profile 1 — is never kept.
    static func basicAuthUser(_ header: String) -> String? {
        let parts = Array(header.utf8).split(separator: UInt8(ascii: " "), maxSplits: 1)
        guard parts.count == 2, parts[0].count == 5,
              zip(parts[0], "basic".utf8).allSatisfy({ ($0 | 0x20) == $1 }) else { return nil }
        var credentials = parts[1]
        while let c = credentials.first, c == 32 || c == 9 { credentials.removeFirst() }
        while let c = credentials.last, c == 32 || c == 9 { credentials.removeLast() }
        guard let decoded = Base64.decode(credentials) else { return nil }
        return String(decoding: decoded.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }
}

/// permessage-deflate parameters as accepted by the server (RFC 7692 §7.1).
struct DeflateParameters: Equatable {
    var serverNoContextTakeover = false
    var clientNoContextTakeover = false
    var serverMaxWindowBits = 15
    var clientMaxWindowBits = 15

    /// Reads the server's `Sec-WebSocket-Extensions`; nil when it did not
    /// accept permessage-deflate.
    init?(extensions: String) {
        var found = false
        let bytes = Array(extensions.utf8)
        // Read as bytes: through Foundation's trimming this cost 200,000 instructions per handshake.
        for ext in bytes.split(separator: UInt8(ascii: ",")) {
            let params = ext.split(separator: UInt8(ascii: ";"))
            guard let name = params.first, Self.token(name) == "permessage-deflate" else { continue }
            found = true
            for p in params.dropFirst() {
                let kv = p.split(separator: UInt8(ascii: "="), maxSplits: 1)
                guard let key = kv.first else { continue }   // a lone "="
                let value = kv.count > 1 ? Int(Self.token(kv[1], unquoted: true)) : nil
                switch Self.token(key) {
                case "server_no_context_takeover": serverNoContextTakeover = true
                case "client_no_context_takeover": clientNoContextTakeover = true
                case "server_max_window_bits": serverMaxWindowBits = value ?? 15
                case "client_max_window_bits": clientMaxWindowBits = value ?? 15
                default: break
                }
            }
            break // the first accepted permessage-deflate is the one in use
        }
        if !found { return nil }
    }

    /// A parameter name or value without surrounding spaces and tabs (and
    /// quotes, for a value), ASCII lower-cased.
    private static func token(_ b: ArraySlice<UInt8>, unquoted: Bool = false) -> String {
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }
        var lo = b.startIndex, hi = b.endIndex
        while lo < hi && isSpace(b[lo]) { lo += 1 }
        while hi > lo && isSpace(b[hi - 1]) { hi -= 1 }
        if unquoted {
            while lo < hi && b[lo] == UInt8(ascii: "\"") { lo += 1 }
            while hi > lo && b[hi - 1] == UInt8(ascii: "\"") { hi -= 1 }
        }
        return String(decoding: b[lo..<hi].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// Minimal base64 decoding (RFC 4648) for the Authorization header.
enum Base64 {
    static func decode<Bytes: Collection<UInt8>>(_ s: Bytes) -> [UInt8]? {
        var out = [UInt8]()
        var acc: UInt32 = 0
        var bits = 0
        for c in s {
            let v: UInt32
            switch c {
            case 65...90: v = UInt32(c - 65)
            case 97...122: v = UInt32(c - 71)
            case 48...57: v = UInt32(c + 4)
            case 43, 45: v = 62
            case 47, 95: v = 63
            case 61: continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
