import ArgumentParser
import Store

struct TransactionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transactions",
        abstract: "One row per charging session, with its energy, how it was derived, and flags.",
        discussion: """
        Times are the charger's own (payload timestamps); --since/--until select by
        start. energy_source says how energy_wh was derived: meter_stop_minus_start,
        register_samples (sum of the register's rises, e.g. across a meter reset),
        last_sample_estimated (no stop seen), or none. Flags mark what to look at:
        missing_stop, missing_start, estimated, meter_reset, register_backwards,
        stop_below_start, implausible_power, stop_sample_mismatch, unit_change,
        duplicate_messages, late_messages, offline_messages, transaction_id_reused,
        reboot_during_session, start_rejected, seq_gap, open_at_end.

        Examples:
          ocppscope transactions --charge-point CP0001
          ocppscope transactions --since 2026-03-01 --until 2026-04-01 --format json | jq 'select(.flags | length > 0)'
        """
    )

    @OptionGroup var options: FilterOptions

    func run() throws {
        let store = try options.openStore()
        let p = RowPrinter(columns: ["charge_point", "evse", "connector", "transaction_id", "id_token", "started_at", "stopped_at",
                                     "meter_start_wh", "meter_stop_wh", "energy_wh", "energy_source", "stop_reason", "flags",
                                     "ocpp_version", "session", "export_wh", "max_power_w", "remote_start_message",
                                     "start_message", "stop_message"], format: options.format)
        try store.transactions(try options.filter()) { r in
            p.row([.text(r.text("charge_point")), .int(r.int("evse")), .int(r.int("connector")), .text(r.text("transaction_id")),
                   .text(r.text("id_token")), .text(isoTime(r.int("started_us"))), .text(isoTime(r.int("stopped_us"))),
                   .number(r.double("meter_start_wh"), decimals: 0), .number(r.double("meter_stop_wh"), decimals: 0),
                   .number(r.double("energy_wh"), decimals: 0), .text(r.text("energy_source")), .text(r.text("stop_reason")),
                   .json(r.text("flags") ?? "[]"), .text(r.text("ocpp_version")), .int(r.int("session_no")),
                   .number(r.double("export_wh"), decimals: 0), .number(r.double("max_power_w"), decimals: 0),
                   .int(r.int("remote_start_message")), .int(r.int("start_message")), .int(r.int("stop_message"))])
        }
        p.finish()
    }
}
