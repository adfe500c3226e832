import Foundation
import Store

/// Where a live source (`capture`, `ingest --follow`) is written: the SQLite
/// file itself, or for a postgresql:// URL a private SQLite staging file
/// whose every commit a PostgresLiveMirror carries into PostgreSQL.
final class LiveTarget {
    let store: Store
    let mirror: PostgresLiveMirror?
    let stagingPath: String?
    let reportFailure = MirrorFailureReport()

    init(db: String) throws {
        guard PostgresURL.isURL(db) else {
            store = try Store(path: db)
            mirror = nil
            stagingPath = nil
            return
        }
        let pg = try PostgresStore(url: db)
        let path = Store.stagingPath("live")
        store = try Store(path: path)
        store.isStaging = true
        stagingPath = path
        mirror = try PostgresLiveMirror(staging: store, pg: pg)
    }

    /// After a failure, where the local copy stays (it is not removed then).
    var keptNote: String {
        guard let stagingPath else { return "" }
        return "\nthe live source is kept in \(stagingPath) (SQLite): read it with --db \(stagingPath)"
    }

    /// Removes the staging file once PostgreSQL holds everything.
    func discard() {
        guard let stagingPath else { return }
        Store.removeFiles(atPath: stagingPath)
    }
}

/// A commit PostgreSQL did not take: said on stderr at the first failure and
/// every tenth after, since the live source goes on and the next commit
/// carries it.
final class MirrorFailureReport {
    private var failures = 0

    func callAsFunction(_ error: Error) {
        failures += 1
        guard failures == 1 || failures % 10 == 0 else { return }
        printError("\nwarning: PostgreSQL did not take a commit (\(error)); kept locally, sent again with the next one (\(failures) so far)")
    }
}
