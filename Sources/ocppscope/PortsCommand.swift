import Analysis
import ArgumentParser
import Foundation
import Store

struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "Show, load or clear the port map: which connectors form a port, and where it stands.",
        discussion: """
        OCPP 1.6 knows only connectors, but a port (a dispenser) may have several (a
        CCS and a NACS cable), and sites group charge points. The map is a CSV with a
        header naming charge_point, connector and port, and optionally location and
        max_kw; for 2.x charge points connector names the EVSE. --load stores it in
        the database (replacing the map before; the messages and the derived history
        are untouched, nothing needs a rebuild). attempts, reliability and uptime then
        use it: a port with several connectors is down only while all of them are
        down, visits of one id token span a location, and reliability can group by
        port or location. Without a map a port is a 1.6 connector or a 2.x EVSE.

        Examples:
          ocppscope ports --load ports.csv
          ocppscope ports
          ocppscope ports --clear

        ports.csv:
          charge_point,connector,port,location,max_kw
          CP0001,1,CP0001-A,Depot North,150
          CP0001,2,CP0001-A,Depot North,150
        """
    )

    @Option(name: .long, help: "Load this CSV into the database, replacing the map.")
    var load: String?

    @Flag(name: .long, help: "Remove the map.")
    var clear = false

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        if load != nil && clear { throw ValidationError("--load and --clear exclude each other") }
        var entries: [PortMapEntry]?
        if let path = load {
            do { entries = try PortMapFile.parse(String(contentsOfFile: path, encoding: .utf8)) } catch {
                printError("error: \(path): \(error)")
                throw Exit.failure
            }
        } else if clear {
            entries = []
        }
        let store: Store
        do {
            if let entries, PostgresURL.isURL(db) {
                try PostgresStore(url: db).replacePortMap(entries)
                store = try Store(readOnly: db)
            } else if entries != nil {
                guard FileManager.default.fileExists(atPath: db) else {
                    printError("error: no database at \(db): run `ocppscope ingest CAPTURE --db \(db)` first")
                    throw Exit.failure
                }
                store = try Store(path: db)
            } else {
                store = try Store(readOnly: db)
            }
        } catch let e as ExitCode { throw e } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        if let entries {
            if store.postgres == nil { try store.replacePortMap(entries) }
            let ports = Set(entries.map { "\($0.chargePoint)\u{1F}\($0.port)" }).count
            printError("port map: \(entries.count) connectors in \(ports) ports, \(Set(entries.compactMap(\.location)).count) locations")
        }
        let p = RowPrinter(columns: ["charge_point", "connector", "port", "location", "max_kw"], format: format)
        for e in try store.portMap() {
            p.row([.text(e.chargePoint), .int(Int64(e.connector)), .text(e.port), .text(e.location), .number(e.maxKW, decimals: 1)])
        }
        p.finish()
    }
}
