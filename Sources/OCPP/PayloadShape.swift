/// Which OCPP family a payload's shape points to, read from its bytes: the
/// payload tells of its version for actions both families share (a 1.6
/// BootNotification has `chargePointVendor`, a 2.x one `chargingStation`).
///
/// Why from the bytes: `VersionInference` used to parse the whole payload
/// into a JSONValue for every StatusNotification, MeterValues,
/// BootNotification and Authorize of a log (no handshake there says the
/// version): 204 M of the 4.0 G instructions of `ingest` of the 10 MB
/// benchmark log, on the thread that writes SQLite (now 155 M with the
/// action lookups, of which this is 88 M). Here the top-level
/// members are walked (values skipped by JSONSkip), and only `meterValue`
/// is entered. The answers are those of the JSONValue reading (a test holds
/// the two side by side): a name is what it decodes to, the first of
/// repeated names counts.
enum PayloadShape {
    enum Family { case v16, v2 }

    /// 1.6 shapes: flat vendor fields, `errorCode`, `idTag`, meter values as
    /// strings; 2.x shapes: `chargingStation`, `connectorStatus`, `idToken`,
    /// `evseId`. Nil for neither (or not an object).
    static func family(_ payload: UnsafeRawBufferPointer) -> Family? {
        var v16 = false, v2 = false
        var meterValue: Range<Int>?
        let isObject = members(payload, from: 0) { name, value in
            switch name {
            case "chargePointVendor", "errorCode", "idTag": v16 = true
            case "chargingStation", "connectorStatus", "idToken", "evseId": v2 = true
            case "meterValue": if meterValue == nil { meterValue = value }
            default: break
            }
        }
        guard isObject else { return nil }
        if v16 { return .v16 }
        if let m = meterValue, meterValueIsString(payload, m) { return .v16 }
        return v2 ? .v2 : nil
    }

    /// `meterValue[0].sampledValue[0].value` is a string.
    private static func meterValueIsString(_ b: UnsafeRawBufferPointer, _ meterValue: Range<Int>) -> Bool {
        guard let reading = firstElement(b, meterValue) else { return false }
        var sampled: Range<Int>?
        guard members(b, from: reading.lowerBound, { name, v in if name == "sampledValue", sampled == nil { sampled = v } }),
              let s = sampled, let sample = firstElement(b, s) else { return false }
        var value: Range<Int>?
        guard members(b, from: sample.lowerBound, { name, v in if name == "value", value == nil { value = v } }),
              let v = value else { return false }
        return b[v.lowerBound] == 0x22
    }

    /// The range of the first element of the array at `array`, or nil.
    private static func firstElement(_ b: UnsafeRawBufferPointer, _ array: Range<Int>) -> Range<Int>? {
        guard let base = b.baseAddress, b[array.lowerBound] == 0x5B else { return nil }
        let start = JSONSkip.space(base, b.count, array.lowerBound + 1)
        guard start < b.count, b[start] != 0x5D, let end = JSONSkip.value(b, from: start, depthLimit: JSONScanner.maxDepth) else { return nil }
        return start..<end
    }

    /// Calls `body` with each member of the object whose `{` is at `start`
    /// (after whitespace), its name decoded and its value's range; false
    /// when there is no well-formed object there.
    @discardableResult
    private static func members(_ b: UnsafeRawBufferPointer, from start: Int, _ body: (String, Range<Int>) -> Void) -> Bool {
        guard let base = b.baseAddress else { return false }
        let n = b.count
        var i = JSONSkip.space(base, n, start)
        guard i < n, b[i] == 0x7B else { return false }
        i = JSONSkip.space(base, n, i + 1)
        guard i < n else { return false }
        if b[i] == 0x7D { return true }
        while true {
            guard i < n, b[i] == 0x22, let nameEnd = JSONSkip.stringEnd(base, n, i) else { return false }
            let name = JSONScanner.decodeString(UnsafeRawBufferPointer(rebasing: b[i..<nameEnd]))
            i = JSONSkip.space(base, n, nameEnd)
            guard i < n, b[i] == 0x3A else { return false }
            let valueStart = JSONSkip.space(base, n, i + 1)
            guard let valueEnd = JSONSkip.value(b, from: valueStart, depthLimit: JSONScanner.maxDepth - 1) else { return false }
            body(name, valueStart..<valueEnd)
            i = JSONSkip.space(base, n, valueEnd)
            guard i < n else { return false }
            if b[i] == 0x7D { return true }
            guard b[i] == 0x2C else { return false }
            i = JSONSkip.space(base, n, i + 1)
        }
    }
}
