/// GPT-2's reversible map between bytes and printable code points, used by byte-level BPE
/// vocabularies so every token is a printable string.
///
/// Bytes 0x21-0x7E, 0xA1-0xAC and 0xAE-0xFF stand for themselves; the other 68 bytes (controls,
/// space, DEL, the C1 range, NBSP, soft hyphen) take U+0100, U+0101, ... in byte order, so a space
/// is U+0120 "Ġ" and a newline U+010A "Ċ".
enum ByteLevelAlphabet {
    /// The code point standing for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if standsForItself(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 0x100...0x143 are all valid scalars.
                table[byte] = Unicode.Scalar(next) ?? "\0"
                next += 1
            }
        }
        return table
    }()

    /// The byte a code point stands for, for code points below 0x144 (nil outside the alphabet).
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    private static func standsForItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let v = Int(scalar.value)
        guard v < byteForScalar.count, byteForScalar[v] >= 0 else { return nil }
        return UInt8(byteForScalar[v])
    }

    /// The bytes a byte-level token string stands for, or nil when a character of it is outside
    /// the alphabet.
    static func bytes(ofTokenText text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let b = byte(for: scalar) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The byte-level string for raw bytes (what a vocabulary stores).
    static func text(ofBytes bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(scalarForByte[Int(b)]) }
        return String(s)
    }
}
