import Foundation
import Queries

/// The SQL the queries are written in is SQLite's; most of it PostgreSQL
/// runs as it is. What differs mechanically is translated here; what differs
/// in meaning has a `NAME.postgres.sql` variant beside the query in
/// `queries/`, chosen automatically.
enum PostgresDialect {
    /// The PostgreSQL text of `sql` and its bound values in `$n` order.
    ///
    /// A parameter bound to NULL is written as the literal NULL: PostgreSQL
    /// must know each parameter's type, and a NULL sent for `:cp IS NULL OR
    /// charge_point = :cp` has none (the values that are not NULL are sent
    /// with their own types).
    static func translate(_ sql: String, _ params: [String: SQLValue]) -> (sql: String, binds: [SQLValue]) {
        let source = QueryCatalog.postgresVariant(of: sql) ?? sql
        var out = ""
        var names: [String] = []
        var chars = Array(source)
        var i = 0
        var inString = false
        while i < chars.count {
            let c = chars[i]
            if c == "'" { inString.toggle(); out.append(c); i += 1; continue }
            if inString { out.append(c); i += 1; continue }
            if c == "-" && i + 1 < chars.count && chars[i + 1] == "-" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == ":" && i + 1 < chars.count && chars[i + 1] == ":" { out += "::"; i += 2; continue }
            // SQLite's integers are 64-bit; PostgreSQL's literals are int4, and
            // `minutes * 60000000` would overflow: large literals become bigint.
            if c.isNumber && (i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_" || chars[i - 1] == "$" || chars[i - 1] == ".")) {
                var j = i
                while j < chars.count && chars[j].isNumber { j += 1 }
                let digits = String(chars[i..<j])
                out += digits
                if j - i >= 6 && (j >= chars.count || (chars[j] != "." && !chars[j].isLetter)) { out += "::bigint" }
                i = j
                continue
            }
            if c == ":" && i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1] == "_") {
                var j = i + 1
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                let name = String(chars[(i + 1)..<j])
                let value = params[name] ?? .null
                if value == .null {
                    out += "NULL"
                } else {
                    if !names.contains(name) { names.append(name) }
                    out += "$\(names.firstIndex(of: name)! + 1)"
                }
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        chars.removeAll()
        var s = out
        s = s.replacingOccurrences(of: #"\bAS REAL\)"#, with: "AS DOUBLE PRECISION)", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\bifnull\("#, with: "coalesce(", options: .regularExpression)
        return (nullsLikeSQLite(s), names.map { params[$0]! })
    }

    /// SQLite sorts NULL before every value; PostgreSQL after. Each ORDER BY
    /// item (of queries and of window functions) gets the explicit NULLS
    /// FIRST (ascending) or NULLS LAST (descending) that gives SQLite's order.
    static func nullsLikeSQLite(_ sql: String) -> String {
        let chars = Array(sql)
        let upper = Array(sql.uppercased())
        var out = ""
        var i = 0
        func word(at k: Int, _ w: String) -> Bool {
            let ws = Array(w)
            guard k + ws.count <= upper.count, Array(upper[k..<(k + ws.count)]) == ws else { return false }
            let before = k == 0 || !(upper[k - 1].isLetter || upper[k - 1].isNumber || upper[k - 1] == "_")
            let after = k + ws.count == upper.count || !(upper[k + ws.count].isLetter || upper[k + ws.count].isNumber || upper[k + ws.count] == "_")
            return before && after
        }
        let stops = ["LIMIT", "OFFSET", "ROWS", "RANGE", "GROUPS", "UNION", "EXCEPT", "INTERSECT", "WINDOW"]
        while i < chars.count {
            guard word(at: i, "ORDER"), let by = (i + 5..<min(chars.count, i + 12)).first(where: { word(at: $0, "BY") }) else {
                out.append(chars[i]); i += 1; continue
            }
            out += String(chars[i..<(by + 2)])
            i = by + 2
            var depth = 0, inString = false
            var item = ""
            func finish() {
                let core = String(String(item.reversed().drop(while: { $0.isWhitespace })).reversed())
                let trailing = String(item.dropFirst(core.count))
                let u = core.uppercased()
                if core.trimmingCharacters(in: .whitespaces).isEmpty || u.contains("NULLS") {
                    out += item
                } else {
                    out += core + (u.hasSuffix(" DESC") || u.hasSuffix("\nDESC") ? " NULLS LAST" : " NULLS FIRST") + trailing
                }
                item = ""
            }
            while i < chars.count {
                let c = chars[i]
                if inString { item.append(c); if c == "'" { inString = false }; i += 1; continue }
                if c == "'" { inString = true; item.append(c); i += 1; continue }
                if c == "(" { depth += 1 }
                if c == ")" { if depth == 0 { break }; depth -= 1 }
                if depth == 0 && (c == ";" || stops.contains(where: { word(at: i, $0) })) { break }
                if depth == 0 && c == "," { finish(); out += ","; i += 1; continue }
                item.append(c)
                i += 1
            }
            finish()
        }
        return out
    }
}
