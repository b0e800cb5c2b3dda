/// A bounds-checked little-endian cursor over a file's bytes. Every read names what it reads so
/// a short file produces `GGUFError.truncated` with the field and its offset.
struct GGUFByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    /// Fails unless `count` bytes remain at the cursor.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(what: what(), offset: offset, byteCount: count, fileSize: bytes.count)
        }
    }

    mutating func skip(to newOffset: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        try require(newOffset - offset, what())
        offset = newOffset
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws(GGUFError) -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws(GGUFError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A u64 length used as a count or size; values that cannot be an `Int` are reported as
    /// truncation, since no file this large exists.
    /// A u64 count of things stored after it that take at least `eachAtLeast` bytes apiece:
    /// fails, naming the count as read, when the rest of the file cannot hold that many.
    mutating func readCount(_ what: @autoclosure () -> String, eachAtLeast: Int) throws(GGUFError) -> Int {
        let start = offset
        let raw = try read(UInt64.self, what())
        let left = remaining
        guard raw <= UInt64(left / eachAtLeast) else {
            throw .implausibleCount(what: what(), offset: start, count: raw, eachAtLeast: eachAtLeast,
                                    bytesLeft: left, fileSize: bytes.count)
        }
        return Int(raw)
    }

    /// A u64 offset or size, which must fit an Int.
    mutating func readLength(_ what: @autoclosure () -> String) throws(GGUFError) -> Int {
        let start = offset
        let raw = try read(UInt64.self, what())
        guard let value = Int(exactly: raw) else {
            throw .invalidValue(key: what(), reason: "\(raw) at offset \(start) is larger than \(Int.max)")
        }
        return value
    }

    /// A GGUF string: u64 byte length, then UTF-8 bytes (no terminator).
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let start = offset
        let length = try readCount("length of \(what())", eachAtLeast: 1)
        try require(length, what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        let string = String(decoding: slice, as: UTF8.self)
        // Decoding repairs invalid UTF-8; a repaired string no longer matches its bytes.
        guard string.utf8.elementsEqual(slice) else {
            throw .invalidUTF8(what: what(), offset: start)
        }
        offset += length
        return string
    }
}
