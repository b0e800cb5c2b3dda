/// A canonical Huffman code (RFC 1951 3.2.2) decoded the plain way: per code length, how many
/// codes have it, and the symbols in canonical order; decoding walks one bit at a time.
struct HuffmanCode {
    static let maxBits = 15
    /// `counts[length]`: codes of that length (index 0 unused).
    private(set) var counts = [Int](repeating: 0, count: maxBits + 1)
    /// Symbols ordered by (code length, symbol value): the canonical code order.
    private(set) var symbols: [Int] = []

    /// The code of lengths known to be valid (the fixed codes of RFC 1951 3.2.6).
    init(trusted lengths: [Int]) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        for length in 1...Self.maxBits {
            for (symbol, symbolLength) in lengths.enumerated() where symbolLength == length { symbols.append(symbol) }
        }
    }

    /// Builds the code from each symbol's code length (0 = unused, at most 15). An
    /// over-subscribed set of lengths is refused; an incomplete one only when `allowIncomplete`
    /// or when it has a single code (RFC 1951 permits a distance code of one symbol).
    init(lengths: [Int], offset: Int, allowIncomplete: Bool) throws(GzipError) {
        var counts = [Int](repeating: 0, count: Self.maxBits + 1)
        for length in lengths {
            guard (0...Self.maxBits).contains(length) else { throw .invalidCode(offset: offset, reason: "code length \(length)") }
            counts[length] += 1
        }
        var left = 1
        for length in 1...Self.maxBits {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw .invalidCode(offset: offset, reason: "over-subscribed code lengths") }
        }
        let used = lengths.count - counts[0]
        guard left == 0 || allowIncomplete || used <= 1 else {
            throw .invalidCode(offset: offset, reason: "incomplete code lengths")
        }
        self.init(trusted: lengths)
    }

    /// The next symbol: canonical codes of one length are consecutive, so after each bit check
    /// whether the code read so far falls among this length's codes.
    func decode(_ reader: inout BitReader) throws(GzipError) -> Int {
        var code = 0, first = 0, index = 0
        for length in 1...Self.maxBits {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - first < count { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw .invalidCode(offset: reader.offset, reason: "no symbol has this code")
    }
}
