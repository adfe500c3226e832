import NIOCore

/// Values in the text format of PostgreSQL's `COPY … FROM STDIN`, written as
/// bytes straight into the buffer sent to the server.
///
/// Why bytes and not Strings: an ingest copies every message of a source,
/// so the payloads pass through here once each (250 MB for the benchmark's
/// capture). Building a String per value and escaping it scalar by scalar
/// cost more than the rest of the copy; most payloads need no escape at all
/// and go in with one memcpy.
enum CopyText {
    /// `\N`: NULL.
    static func appendNull(_ buf: inout ByteBuffer) {
        buf.writeInteger(UInt8(ascii: "\\"))
        buf.writeInteger(UInt8(ascii: "N"))
    }

    static func append(_ i: Int64, _ buf: inout ByteBuffer) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: enough for any Int64
        var n = i.magnitude
        withUnsafeMutableBytes(of: &digits) { d in
            var k = d.count
            repeat {
                k -= 1
                d[k] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n > 0
            if i < 0 { k -= 1; d[k] = UInt8(ascii: "-") }
            buf.writeBytes(UnsafeRawBufferPointer(rebasing: d[k...]))
        }
    }

    static func append(_ d: Double, _ buf: inout ByteBuffer) {
        buf.writeString(d.isFinite ? String(d) : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")))
    }

    /// UTF-8 text with COPY's escapes: backslash, tab, newline and carriage
    /// return escaped; NUL dropped (PostgreSQL text cannot hold it).
    static func appendText(_ bytes: UnsafeRawBufferPointer, _ buf: inout ByteBuffer) {
        var start = 0
        for (k, b) in bytes.enumerated() {
            let escaped: UInt8
            switch b {
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            case 0: escaped = 0
            default: continue
            }
            buf.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<k]))
            if escaped != 0 {
                buf.writeInteger(UInt8(ascii: "\\"))
                buf.writeInteger(escaped)
            }
            start = k + 1
        }
        buf.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    /// BYTEA in hex: `\\x0a1b…` (the backslash itself escaped for COPY).
    static func appendBlob(_ bytes: UnsafeRawBufferPointer, _ buf: inout ByteBuffer) {
        let hex = Array("0123456789abcdef".utf8)
        buf.writeInteger(UInt8(ascii: "\\"))
        buf.writeInteger(UInt8(ascii: "\\"))
        buf.writeInteger(UInt8(ascii: "x"))
        buf.reserveCapacity(minimumWritableBytes: bytes.count * 2)
        for b in bytes {
            buf.writeInteger(hex[Int(b >> 4)])
            buf.writeInteger(hex[Int(b & 15)])
        }
    }

    static func append(_ v: SQLValue, _ buf: inout ByteBuffer) {
        switch v {
        case .null: appendNull(&buf)
        case .int(let i): append(i, &buf)
        case .double(let d): append(d, &buf)
        case .text(var s): s.withUTF8 { appendText(UnsafeRawBufferPointer($0), &buf) }
        case .blob(let b): b.withUnsafeBytes { appendBlob($0, &buf) }
        }
    }

    /// One row, tab-separated, newline-ended.
    static func appendRow(_ row: [SQLValue], _ buf: inout ByteBuffer) {
        for (i, v) in row.enumerated() {
            if i > 0 { buf.writeInteger(UInt8(ascii: "\t")) }
            append(v, &buf)
        }
        buf.writeInteger(UInt8(ascii: "\n"))
    }

    /// Column `i` of the current row of a SQLite statement, without making a
    /// value of it; integers pass through `mapInt` (ids renumbered on the way).
    static func appendColumn(_ s: Statement, _ i: Int32, _ buf: inout ByteBuffer, mapInt: (Int64) -> Int64) {
        switch s.columnType(i) {
        case .null: appendNull(&buf)
        case .integer: append(mapInt(s.int64(i)), &buf)
        case .float: append(s.double(i), &buf)
        case .text: appendText(s.bytes(i), &buf)
        case .blob: appendBlob(s.bytes(i), &buf)
        }
    }
}
