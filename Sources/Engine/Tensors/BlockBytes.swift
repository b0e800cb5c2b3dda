/// Little-endian field reads inside one quantised block (all ggml blocks are unaligned packed
/// structs; GGUF files are little-endian).
@usableFromInline
enum BlockBytes {
    @inlinable @inline(__always)
    static func half(_ block: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfFloat.float(fromBits: UInt16(littleEndian: block.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inlinable @inline(__always)
    static func byte(_ block: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        block.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inlinable @inline(__always)
    static func signedByte(_ block: UnsafeRawPointer, _ offset: Int) -> Int8 {
        block.load(fromByteOffset: offset, as: Int8.self)
    }
}
