import Foundation
import Frames
import Testing
@testable import History
@testable import Store

/// HistoryWriter holds meter values to write several in one INSERT: every
/// one of them lands, in order, once the charge point ends (`check`).
@Suite("History writer")
struct HistoryWriterTests {
    @Test(arguments: [0, 1, 15, 16, 17, 37, 64])
    func everyHeldMeterValueIsWrittenInOrder(count: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-test-\(UUID().uuidString).sqlite").path
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let writer = try HistoryWriter(store: store)
        for i in 0..<count {
            writer.meterSample(MeterSample(chargePoint: "CP\(i % 3)", session: i % 2 == 0 ? i : nil, evse: nil, connector: 1,
                                           time: Timestamp(microseconds: Int64(i)), observed: Timestamp(microseconds: Int64(i) + 5),
                                           measurand: "Energy.Active.Import.Register", phase: i % 4 == 0 ? "L1" : nil,
                                           location: nil, context: "Sample.Periodic", unit: "Wh", raw: String(i * 10),
                                           value: Double(i * 10), normalizedUnit: "Wh", signedData: nil, message: Int64(1000 + i)))
        }
        // Fewer than a full INSERT's worth are still held…
        #expect(try store.db.scalarInt("SELECT count(*) FROM meter_values") == Int64(count - count % HistoryWriter.samplesPerInsert))
        try writer.check()
        // …and written by the end of the charge point.
        #expect(try store.db.scalarInt("SELECT count(*) FROM meter_values") == Int64(count))
        #expect(writer.counts["meter_values"] == (count == 0 ? nil : count))
        let rows = try store.db.prepare("SELECT id, charge_point, session_no, raw, phase, message_id, observed_us FROM meter_values ORDER BY id")
        var i = 0
        while try rows.step() {
            #expect(rows.int64(0) == Int64(i + 1))
            #expect(rows.text(1) == "CP\(i % 3)")
            #expect(rows.isNull(2) == (i % 2 != 0))
            #expect(rows.text(3) == String(i * 10))
            #expect(rows.text(4) == (i % 4 == 0 ? "L1" : nil))
            #expect(rows.int64(5) == Int64(1000 + i))
            #expect(rows.int64(6) == Int64(i) + 5)
            i += 1
        }
        #expect(i == count)
    }
}
