/// Raw deflate decompression (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
public enum Inflate {
    /// Decompresses the deflate stream starting at `start`; returns the bytes and the offset just
    /// past the stream's last byte.
    public static func decompress(_ bytes: [UInt8], start: Int = 0) throws(GzipError) -> (output: [UInt8], end: Int) {
        var reader = BitReader(bytes: bytes, start: start)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 4)
        var last = false
        while !last {
            last = try reader.bits(1) == 1
            let type = try reader.bits(2)
            switch type {
            case 0: try stored(&reader, into: &output)
            case 1: try codes(&reader, into: &output, literals: fixedLiterals, distances: fixedDistances)
            case 2:
                let (literals, distances) = try dynamicCodes(&reader)
                try codes(&reader, into: &output, literals: literals, distances: distances)
            default: throw .invalidBlockType(offset: reader.offset)
            }
        }
        return (output, reader.endOfConsumedBytes)
    }

    private static func stored(_ reader: inout BitReader, into output: inout [UInt8]) throws(GzipError) {
        reader.alignToByte()
        let offset = reader.offset
        let header = try reader.byteRun(4)
        let length = Int(header[header.startIndex]) | Int(header[header.startIndex + 1]) << 8
        let complement = Int(header[header.startIndex + 2]) | Int(header[header.startIndex + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw .storedLengthMismatch(offset: offset) }
        output += try reader.byteRun(length)
    }

    // Length symbols 257...285: base length and extra bits; distance symbols 0...29 likewise.
    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private static func codes(
        _ reader: inout BitReader, into output: inout [UInt8], literals: HuffmanCode, distances: HuffmanCode
    ) throws(GzipError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw .invalidCode(offset: reader.offset, reason: "length symbol \(symbol)") }
            let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < distanceBase.count else {
                throw .invalidCode(offset: reader.offset, reason: "distance symbol \(distanceSymbol)")
            }
            let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw .distanceTooFar(offset: reader.offset, distance: distance, available: output.count)
            }
            // Byte by byte: a copy may overlap what it writes (distance < length repeats a run).
            var from = output.count - distance
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
    }

    /// RFC 1951 3.2.6: literals 0-143 take 8 bits, 144-255 9, 256-279 7, 280-287 8.
    private static let fixedLiterals = HuffmanCode(trusted: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8))

    /// Distance codes 0-29 (30 and 31 never occur), 5 bits each.
    private static let fixedDistances = HuffmanCode(trusted: [Int](repeating: 5, count: 30))

    /// The order in which a dynamic block lists the code-length code's lengths.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static func dynamicCodes(_ reader: inout BitReader) throws(GzipError) -> (HuffmanCode, HuffmanCode) {
        let offset = reader.offset
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw .invalidCode(offset: offset, reason: "\(literalCount) literal/length or \(distanceCount) distance codes")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[index]] = try reader.bits(3) }
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths, offset: offset, allowIncomplete: false)

        var lengths: [Int] = []
        let total = literalCount + distanceCount
        while lengths.count < total {
            let symbol = try codeLengthCode.decode(&reader)
            let value: Int, repeats: Int
            switch symbol {
            case 0...15:
                value = symbol
                repeats = 1
            case 16:
                guard let previous = lengths.last else {
                    throw .invalidCode(offset: reader.offset, reason: "repeat of a code length before the first")
                }
                value = previous
                repeats = 3 + (try reader.bits(2))
            case 17:
                value = 0
                repeats = 3 + (try reader.bits(3))
            default:
                value = 0
                repeats = 11 + (try reader.bits(7))
            }
            guard lengths.count + repeats <= total else {
                throw .invalidCode(offset: reader.offset, reason: "code lengths run past their count")
            }
            lengths += [Int](repeating: value, count: repeats)
        }
        guard lengths[256] != 0 else { throw .invalidCode(offset: offset, reason: "no end-of-block code") }
        let literals = try HuffmanCode(lengths: Array(lengths[..<literalCount]), offset: offset, allowIncomplete: false)
        let distances = try HuffmanCode(lengths: Array(lengths[literalCount...]), offset: offset, allowIncomplete: true)
        return (literals, distances)
    }
}
