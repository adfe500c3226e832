/// What a charge point says about itself when it boots, in any OCPP version.
public struct StationDescription: Sendable, Equatable {
    public var vendor: String?
    public var model: String?
    public var serial: String?
    public var firmware: String?

    public init(vendor: String? = nil, model: String? = nil, serial: String? = nil, firmware: String? = nil) {
        self.vendor = vendor
        self.model = model
        self.serial = serial
        self.firmware = firmware
    }

    /// Reads a BootNotification request: 1.6 has flat fields
    /// (`chargePointVendor`, …), 2.0.1 and 2.1 a `chargingStation` object.
    public init(bootNotification p: JSONValue) {
        if let cs = p["chargingStation"] {
            vendor = cs["vendorName"]?.string
            model = cs["model"]?.string
            serial = cs["serialNumber"]?.string
            firmware = cs["firmwareVersion"]?.string
        } else {
            vendor = p["chargePointVendor"]?.string
            model = p["chargePointModel"]?.string
            serial = p["chargePointSerialNumber"]?.string ?? p["chargeBoxSerialNumber"]?.string
            firmware = p["firmwareVersion"]?.string
        }
    }

    /// The heartbeat interval (s) a BootNotification answer sets, when accepted.
    public static func heartbeatInterval(bootNotificationResult p: JSONValue) -> Int? {
        p["interval"]?.int
    }

    /// The same, read from a tape (the history's payloads).
    public static func heartbeatInterval(bootNotificationResult p: JSONView) -> Int? {
        p["interval"]?.int
    }
}
