import Frames
import Testing

/// `ByteWord.hash` is computed on its own for speed but must stay the first
/// of `hashPair` (tables may mix both), and both must see every byte of
/// every length.
@Suite("ByteWord hashes")
struct ByteWordHashTests {
    @Test func hashIsTheFirstOfThePairAndSeesEveryByte() {
        let seeds: (UInt64, UInt64) = (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210)
        var bytes: [UInt8] = []
        for n in 0..<70 {
            bytes.append(UInt8(truncatingIfNeeded: n &* 37 &+ 11))
            bytes.withUnsafeBytes { b in
                let single = ByteWord.hash(b, seed: seeds.0)
                #expect(single == ByteWord.hashPair(b, seeds: seeds).0, "length \(b.count)")
                // Any one byte changed changes both hashes.
                var changed = Array(b)
                for i in 0..<changed.count {
                    changed[i] ^= 0x40
                    changed.withUnsafeBytes { c in
                        #expect(ByteWord.hash(c, seed: seeds.0) != single, "length \(b.count), byte \(i)")
                        #expect(ByteWord.hashPair(c, seeds: seeds).1 != ByteWord.hashPair(b, seeds: seeds).1)
                    }
                    changed[i] ^= 0x40
                }
            }
        }
    }
}

/// `ASCII.only` reads four words a step, then words, then bytes: a byte
/// above 0x7F must be seen wherever it stands, at every length.
@Suite("ASCII check")
struct ASCIICheckTests {
    @Test func seesAHighByteAtEveryPositionOfEveryLength() {
        for n in 0..<80 {
            var bytes = (0..<n).map { UInt8(truncatingIfNeeded: 0x20 + ($0 * 7) % 0x5F) }
            #expect(ASCII.only(bytes), "length \(n)")
            for i in 0..<n {
                let kept = bytes[i]
                for high: UInt8 in [0x80, 0xC3, 0xFF] {
                    bytes[i] = high
                    #expect(!ASCII.only(bytes), "length \(n), byte \(i) = \(high)")
                    #expect(!ASCII.only(bytes[...]), "length \(n), byte \(i) = \(high), as a slice")
                }
                bytes[i] = kept
            }
            // A slice that starts off a word's boundary.
            if n > 3 {
                bytes[0] = 0xE2
                #expect(ASCII.only(bytes[1...]), "length \(n), slice from 1")
                bytes[0] = 0x41
            }
        }
    }
}
