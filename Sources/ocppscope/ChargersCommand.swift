import ArgumentParser
import Store

struct ChargersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargers",
        abstract: "The inventory of charge points: identity, vendor, firmware, version, sessions, energy.",
        discussion: """
        Vendor, model, serial and firmware come from the last BootNotification; the
        heartbeat interval from its answer or a later accepted configuration change;
        clock skew is the median of (charger timestamp − capture time) over the
        charger's live reports.

        Examples:
          ocppscope chargers
          ocppscope chargers --format csv > inventory.csv
        """
    )

    @OptionGroup var options: FilterOptions

    func run() throws {
        let store = try options.openStore()
        let p = RowPrinter(columns: ["charge_point", "vendor", "model", "serial", "firmware", "ocpp_version",
                                     "heartbeat_interval_s", "first_seen", "last_seen", "connections", "sessions",
                                     "energy_wh", "clock_skew_s", "boots"], format: options.format)
        try store.chargers(try options.filter()) { r in
            p.row([.text(r.text("identity")), .text(r.text("vendor")), .text(r.text("model")), .text(r.text("serial")),
                   .text(r.text("firmware")), .text(r.text("ocpp_version")), .int(r.int("heartbeat_interval_s")),
                   .text(isoTime(r.int("first_seen_us"))), .text(isoTime(r.int("last_seen_us"))), .int(r.int("connections")),
                   .int(r.int("sessions")), .number(r.double("energy_wh"), decimals: 0), .number(r.double("clock_skew_s"), decimals: 1),
                   .int(r.int("boots"))])
        }
        p.finish()
    }
}
