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
    /// The queries, without their dialect variants.
    public static var all: [Query] {
        BuiltinQueries.files.filter { !$0.name.hasSuffix(postgresSuffix) }.map { Query(name: $0.name, sql: $0.sql) }
    }

    public static func named(_ name: String) -> Query? {
        guard !name.hasSuffix(postgresSuffix) else { return nil }
        return BuiltinQueries.files.first { $0.name == name }.map { Query(name: $0.name, sql: $0.sql) }
    }

    /// `NAME.postgres.sql` beside `NAME.sql` is the query's PostgreSQL text,
    /// for the few queries whose SQL the two engines cannot share.
    static let postgresSuffix = ".postgres"

    /// The PostgreSQL variant of a built-in query, found by its SQLite text
    /// (the store receives SQL, not names), or nil when the query is shared.
    public static func postgresVariant(of sql: String) -> String? {
        guard let base = BuiltinQueries.files.first(where: { $0.sql == sql && !$0.name.hasSuffix(postgresSuffix) }) else { return nil }
        return BuiltinQueries.files.first { $0.name == base.name + postgresSuffix }?.sql
    }

    /// The PostgreSQL variant of the query `name`, if it has one.
    public static func postgresVariant(named name: String) -> String? {
        BuiltinQueries.files.first { $0.name == name + postgresSuffix }?.sql
    }

    /// The names of the queries that have a PostgreSQL variant.
    public static var postgresVariants: [String] {
        BuiltinQueries.files.map(\.name).filter { $0.hasSuffix(postgresSuffix) }.map { String($0.dropLast(postgresSuffix.count)) }
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
