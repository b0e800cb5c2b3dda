/// Reads a deflate stream's bits, least significant bit of each byte first (RFC 1951 3.1.1).
struct BitReader {
    let bytes: [UInt8]
    /// The next byte to load into `buffer`.
    private(set) var position: Int
    private var buffer: UInt64 = 0
    private var count = 0

    init(bytes: [UInt8], start: Int) {
        self.bytes = bytes
        position = start
    }

    /// The offset of the byte holding the next unread bit, for error messages.
    var offset: Int { position - (count + 7) / 8 }

    /// `n` bits (0...32) as an integer, the first bit read in the lowest place.
    mutating func bits(_ n: Int) throws(GzipError) -> Int {
        while count < n {
            guard position < bytes.count else { throw .truncated(offset: position) }
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
        let value = Int(buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    /// Drops the rest of the current byte (stored blocks start on a byte boundary).
    mutating func alignToByte() {
        let drop = count % 8
        buffer >>= UInt64(drop)
        count -= drop
    }

    /// Takes `n` whole bytes after `alignToByte()`.
    mutating func byteRun(_ n: Int) throws(GzipError) -> ArraySlice<UInt8> {
        // Whole bytes still buffered are given back first.
        position -= count / 8
        buffer = 0
        count = 0
        guard n <= bytes.count - position else { throw .truncated(offset: bytes.count) }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    /// The offset just past the last byte any bit was read from (the end of a deflate stream).
    var endOfConsumedBytes: Int { position - count / 8 }
}
