import Foundation

/// Where a PostgreSQL store is: a libpq-style URL
/// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`
/// (`postgres://` too). The password comes, as libpq takes it, from the URL,
/// else `PGPASSWORD`, else `~/.pgpass` (`host:port:db:user:password`, `*`
/// matching anything); it is never printed (`description` leaves it out).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether `--db` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ s: String) -> Bool { s.hasPrefix("postgresql://") || s.hasPrefix("postgres://") }

    public struct ParseError: Error, CustomStringConvertible { public var description: String }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                passFile: String? = nil) throws {
        guard Self.isURL(text), let comps = URLComponents(string: text), let host = comps.host, !host.isEmpty else {
            throw ParseError(description: "not a PostgreSQL URL: expected postgresql://USER@HOST:PORT/DB")
        }
        self.host = host
        port = comps.port ?? 5432
        user = comps.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let db = comps.path.hasPrefix("/") ? String(comps.path.dropFirst()) : comps.path
        database = db.isEmpty ? user : (db.removingPercentEncoding ?? db)
        let mode = comps.queryItems?.first { $0.name == "sslmode" }?.value ?? environment["PGSSLMODE"] ?? "prefer"
        switch mode {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw ParseError(description: "sslmode \(mode) is not one of disable, prefer, require")
        }
        if let p = comps.password { password = p.removingPercentEncoding ?? p }
        else if let p = environment["PGPASSWORD"] { password = p }
        else {
            let file = passFile ?? environment["PGPASSFILE"] ?? (NSHomeDirectory() as NSString).appendingPathComponent(".pgpass")
            password = Self.lookUp(file: file, host: host, port: port, database: database, user: user)
        }
    }

    /// The first matching line of a .pgpass file (its `\:` and `\\` escapes read).
    static func lookUp(file: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var fields: [String] = [], cur = "", escaped = false
            for c in line {
                if escaped { cur.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" { fields.append(cur); cur = "" } else { cur.append(c) }
            }
            fields.append(cur)
            guard fields.count == 5 else { continue }
            let want = [host, String(port), database, user]
            if zip(fields.prefix(4), want).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }
}
