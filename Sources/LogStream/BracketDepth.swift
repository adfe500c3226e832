/// Follows the brackets of a JSON value across lines, to know where a
/// pretty-printed OCPP-J message ends.
///
/// Why not parse: only the end is wanted here (the message decoder checks the
/// text); counting brackets outside strings finds it in one pass.
struct BracketDepth {
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var started = false

    /// Feeds bytes; returns the index just after the byte that closed the
    /// outermost bracket, if it is in these bytes.
    mutating func feed(_ b: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        var i = from
        while i < b.count {
            let c = b[i]
            if inString {
                if escaped { escaped = false }
                else if c == 0x5C { escaped = true }
                else if c == 0x22 { inString = false }
            } else {
                switch c {
                case 0x22: inString = true
                case 0x5B, 0x7B: depth += 1; started = true
                case 0x5D, 0x7D:
                    depth -= 1
                    if started && depth <= 0 { return i + 1 }
                default: break
                }
            }
            i += 1
        }
        return nil
    }
}
