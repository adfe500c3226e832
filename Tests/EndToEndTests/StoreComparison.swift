import Foundation
import Testing

/// Comparing what commands print from a SQLite store and a PostgreSQL one.
enum StoreComparison {
    /// The output of a command on both stores, which must be the same.
    @discardableResult
    static func same(_ args: [String], sqlite: String, postgres: String) throws -> String {
        let (a, outA, errA) = try Fixture.run(args + ["--db", sqlite])
        let (b, outB, errB) = try Fixture.run(args + ["--db", postgres])
        #expect(a == 0, "\(args) on SQLite: \(errA)")
        #expect(b == 0, "\(args) on PostgreSQL: \(errB)")
        #expect(outA == outB, "\(args.joined(separator: " ")) differs between the stores")
        if outA != outB {
            let la = outA.split(separator: "\n"), lb = outB.split(separator: "\n")
            for (x, y) in zip(la, lb) where x != y { Issue.record("SQLite:     \(x)\nPostgreSQL: \(y)"); break }
            if la.count != lb.count { Issue.record("rows: SQLite \(la.count), PostgreSQL \(lb.count)") }
        }
        return outA
    }

    /// The JSON rows a command prints, without the message ids they cite
    /// (ids follow the order writers happened to commit in), sorted.
    static func rowsWithoutIds(_ args: [String], db: String) throws -> [String] {
        let (code, out, err) = try Fixture.run(args + ["--format", "json", "--db", db])
        #expect(code == 0, "\(err)")
        return out.split(separator: "\n").map { line -> String in
            guard var o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return String(line) }
            for k in o.keys where k.hasSuffix("_message") || k == "message_id" { o[k] = nil }
            return String(decoding: try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
        }.sorted()
    }

    /// `transactions`, `attempts` and `messages` the same on both stores, ids aside.
    static func sameRowsWithoutIds(sqlite: String, postgres: String) throws {
        for command in ["transactions", "attempts", "messages"] {
            let a = try rowsWithoutIds([command], db: sqlite), b = try rowsWithoutIds([command], db: postgres)
            #expect(a.count == b.count && a == b, "\(command) differs between the stores (\(a.count) and \(b.count) rows)")
            if let (x, y) = zip(a, b).first(where: { $0 != $1 }) { Issue.record("SQLite:     \(x)\nPostgreSQL: \(y)") }
        }
    }
}
