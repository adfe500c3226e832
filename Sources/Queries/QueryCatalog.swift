import Foundation

/// One documented query: its name, its header, and its SQL.
///
/// Every query file starts with comment lines:
/// `-- NAME: what it is`, then `-- Answers: …`, `-- Parameters: …`,
/// `-- Columns: …`. The commands read the same files users can read and run.
public struct Query: Sendable {
    public var name: String
    public var sql: String

    /// The text after `NAME:` on the first line.
    public var summary: String {
        guard let first = sql.split(separator: "\n").first, first.hasPrefix("--") else { return "" }
        let line = first.dropFirst(2).trimmingCharacters(in: .whitespaces)
        if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        return line
    }

    /// The whole comment header.
    public var header: String {
        sql.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("--") }
            .map { $0.dropFirst(2).trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// The queries that ship with ocppscope (embedded from `queries/`), and
/// user query files.
public enum QueryCatalog {
    public static var all: [Query] { BuiltinQueries.files.map { Query(name: $0.name, sql: $0.sql) } }

    public static func named(_ name: String) -> Query? {
        BuiltinQueries.files.first { $0.name == name }.map { Query(name: $0.name, sql: $0.sql) }
    }

    /// A built-in query, or a `.sql` file the user names by path.
    public static func resolve(_ nameOrPath: String) throws -> Query {
        if let q = named(nameOrPath) { return q }
        if nameOrPath.hasSuffix(".sql") || nameOrPath.contains("/") {
            guard let sql = try? String(contentsOfFile: nameOrPath, encoding: .utf8) else {
                throw QueryError("cannot read query file \(nameOrPath)")
            }
            return Query(name: (nameOrPath as NSString).lastPathComponent, sql: sql)
        }
        throw QueryError("no query named \(nameOrPath); `ocppscope query --list` lists them, or give a path to a .sql file")
    }

    /// The anomaly kinds: the built-in queries named `anomaly-KIND`.
    public static var anomalyKinds: [String] {
        all.map(\.name).filter { $0.hasPrefix("anomaly-") }.map { String($0.dropFirst("anomaly-".count)) }
    }
}

public struct QueryError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
