import ArgumentParser
import Foundation
import Frames
import OCPP
import Store

struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List stored messages, filtered by charge point, action and time.",
        discussion: """
        Times are ISO 8601; without a zone they are UTC. --since is inclusive, --until
        exclusive.

        Examples:
          ocppscope messages --charge-point CP0001 --since 2026-03-02T14:00 --until 2026-03-02T14:20
          ocppscope messages --action StartTransaction --format csv > starts.csv
        """
    )

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Only this charge point identity.")
    var chargePoint: String?

    @Option(name: .long, help: "Only this action (answers carry their CALL's action).")
    var action: String?

    @Option(name: .long, help: "From this time (inclusive).")
    var since: String?

    @Option(name: .long, help: "Up to this time (exclusive).")
    var until: String?

    @Option(name: .long, help: "At most this many messages.")
    var limit: Int?

    @Option(name: .long, help: "text, json (one object per line) or csv.")
    var format: OutputFormat = .text

    func run() throws {
        let filter: MessageFilter
        do {
            filter = MessageFilter(chargePoint: chargePoint, action: action,
                                   since: try since.map { try parseTime($0, option: "--since") },
                                   until: try until.map { try parseTime($0, option: "--until") }, limit: limit)
        } catch {
            throw ValidationError("\(error)")
        }
        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let out = StandardOutput()
        if format == .csv { out.write(MessageFormatter.csvHeader) }
        try store.messages(filter) { MessageFormatter.write($0, format: format, to: out) }
        out.flush()
    }
}
