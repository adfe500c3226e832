import Frames
import Testing

/// ISO8601Writer against `Timestamp.iso8601`, the form it must reproduce
/// byte for byte: times in order and out of order, the same minute again,
/// whole milliseconds and not, before 1970 and far ahead.
@Suite("ISO 8601 writer")
struct ISO8601WriterTests {
    @Test func writesWhatIso8601Says() {
        var writer = ISO8601Writer()
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return rng
        }
        var times: [Int64] = [0, -1, -999, -1_000, -1_000_000, -60_000_000, -60_000_001, 59_999_999, 60_000_000,
                              1_700_000_000_000_000, 1_700_000_000_123_000, 1_700_000_000_123_456, 253_402_300_799_999_999,
                              -62_135_596_800_000_000]
        var t: Int64 = 1_764_633_600_000_000
        for _ in 0..<20_000 {
            // Mostly forward by up to two seconds (many to a minute), now and then a jump either way.
            let r = next()
            if r % 50 == 0 { t += Int64(r >> 20 % 400_000_000_000) - 200_000_000_000 } else { t += Int64(r >> 40 % 2_000_000) }
            // A quarter on whole milliseconds.
            times.append(r % 4 == 0 ? t / 1000 * 1000 : t)
        }
        var out: [UInt8] = []
        var expected = ""
        for us in times {
            writer.append(Timestamp(microseconds: us), to: &out)
            out.append(10)
            expected += Timestamp(microseconds: us).iso8601 + "\n"
        }
        let got = String(decoding: out, as: UTF8.self)
        #expect(got == expected)
        #expect(got.hasPrefix("1970-01-01T00:00:00.000Z\n1969-12-31T23:59:59.999999Z\n"))
    }
}
