import ArgumentParser
import Foundation
import Ingest
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Copy a SQLite database into a PostgreSQL store.",
        discussion: """
        Each source is copied whole, in one transaction, with COPY; a source the
        PostgreSQL store already holds (the same SHA-256) is skipped, so running it
        again changes nothing, and several exports and ingests may write into one
        store at once. The history of every charge point the copied sources touch is
        then derived again in PostgreSQL, one charge point at a time under an
        advisory lock. The password comes from the URL, PGPASSWORD or ~/.pgpass and
        is never printed; TLS is used when the server offers it (?sslmode=disable to
        turn it off, require to insist).

        Examples:
          ocppscope export --db site-a.sqlite --to postgresql://ocpp@localhost:5432/fleet
          PGPASSWORD=secret ocppscope export --db site-b.sqlite --to postgresql://ocpp@db:5432/fleet?sslmode=require

        Exit codes: 0 exported; 1 the database cannot be read or PostgreSQL reached.
        """
    )

    @Option(name: .long, help: "The SQLite database to copy.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "The PostgreSQL store: postgresql://USER@HOST:PORT/DB.")
    var to: String

    func run() throws {
        guard PostgresURL.isURL(to) else { throw ValidationError("--to takes postgresql://USER@HOST:PORT/DB") }
        do {
            let source = try Store(readOnly: db)
            let fleet = try PostgresStore(url: to)
            let s = try PostgresLoad.export(from: source, to: fleet)
            for c in s.copied { print("\(c.path): \(c.messages) messages copied") }
            for c in s.alreadyThere { print("\(c.path): already in \(fleet.pg.url); nothing changed") }
            print("exported \(s.copied.count) sources (\(s.messages) messages) to \(fleet.pg.url), \(s.alreadyThere.count) already there; "
                  + "history rebuilt for \(s.chargePointsRebuilt) charge points")
        } catch let e as ValidationError {
            throw e
        } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
    }
}
