/// Picks a log's format from its first lines, by content: each format reads
/// them, the one that finds the most messages wins.
///
/// Why the specific formats are preferred over the generic one on a tie or
/// near it: the generic reader also finds messages in a Python-library or
/// SteVe log (a time, a word, an array), but only the specific reader knows
/// which word names the identity and what the words mean.
public enum FormatDetector {
    public struct Result: Sendable {
        public var format: LogFormat
        /// Messages each format found in the lines looked at, for messages to the user.
        public var scores: [LogFormat: Int]
    }

    static let specific: [LogFormat] = [.jsonLines, .csv, .evcc, .steve, .everest, .pythonOCPP]

    public static func detect(_ lines: [[UInt8]], options: LogOptions) -> Result? {
        var scores: [LogFormat: Int] = [:]
        for format in specific + [.generic] {
            let parser = makeParser(format, options: options)
            var score = 0
            for (k, line) in lines.enumerated() {
                let r = line.withUnsafeBytes { parser.parse($0) }
                switch r {
                case .message:
                    // A bare `[` line counts with its header, not again.
                    let bare = line.first(where: { $0 != 0x20 && $0 != 0x09 }) == 0x5B
                        && line.withUnsafeBytes { ByteSearch.looksLikeJSONContinuation($0) }
                    if !bare { score += 1 }
                case .header:
                    if k + 1 < lines.count, lines[k + 1].first == 0x5B || lines[k + 1].first == 0x20 || lines[k + 1].first == 0x09,
                       lines[k + 1].withUnsafeBytes({ ByteSearch.looksLikeJSONContinuation($0) }) {
                        score += 1
                    }
                case .noise: break
                }
            }
            scores[format] = score
        }
        let best = specific.max { (scores[$0] ?? 0) < (scores[$1] ?? 0) }!
        let bestScore = scores[best] ?? 0
        let generic = scores[.generic] ?? 0
        if bestScore > 0 && generic <= 2 * bestScore { return Result(format: best, scores: scores) }
        if generic > 0 { return Result(format: .generic, scores: scores) }
        return nil
    }

    /// A fresh parser of a format (formats with state, such as CSV's header,
    /// must start from the first line).
    public static func makeParser(_ format: LogFormat, options: LogOptions) -> LogLineParser {
        switch format {
        case .jsonLines: return JSONLinesParser(options: options)
        case .pythonOCPP: return PythonOCPPParser(options: options)
        case .evcc: return EvccParser(options: options)
        case .everest: return EVerestParser(options: options)
        case .steve: return SteVeParser(options: options)
        case .csv: return CSVParser(options: options)
        case .generic, .pattern: return GenericParser(options: options)
        }
    }
}
