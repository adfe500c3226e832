/// Whether bytes are all ASCII, eight at a time.
///
/// Why it matters: nearly all OCPP text is ASCII, and ASCII bytes are
/// exactly the bytes any String made of them holds, so a reader may use
/// them as they are and skip UTF-8 validation or repair.
public enum ASCII {
    public static func only(_ raw: UnsafeRawBufferPointer) -> Bool {
        var bits: UInt64 = 0
        var i = 0
        while i + 8 <= raw.count { bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
        while i < raw.count { bits |= UInt64(raw[i]); i += 1 }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    public static func only(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.withUnsafeBytes(only) }
    public static func only(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes(only) }
}
