import Foundation

/// gzip files (RFC 1952): one or more members, each a header, a deflate stream (inflated by
/// zlib through compress-nio) and a trailer holding the CRC-32 and size of its data, both
/// checked here so every error names its byte offset. Foundation on Linux has no gzip.
public enum Gzip {
    private enum Flag {
        static let headerCRC: UInt8 = 0x02
        static let extra: UInt8 = 0x04
        static let name: UInt8 = 0x08
        static let comment: UInt8 = 0x10
        static let reserved: UInt8 = 0xE0
    }

    public static func decompress(_ data: Data) throws(GzipError) -> Data {
        let bytes = [UInt8](data)
        var output: [UInt8] = []
        var offset = 0
        repeat {
            let start = try dataStart(bytes, member: offset)
            let (member, end) = try Inflate.decompress(bytes, start: start)
            guard end + 8 <= bytes.count else { throw .truncated(offset: bytes.count) }
            let expectedCRC = littleEndian32(bytes, at: end), expectedSize = littleEndian32(bytes, at: end + 4)
            let crc = CRC32.checksum(member)
            guard crc == expectedCRC else { throw .checksumMismatch(offset: end, expected: expectedCRC, computed: crc) }
            let size = UInt32(truncatingIfNeeded: member.count)
            guard size == expectedSize else { throw .sizeMismatch(offset: end + 4, expected: expectedSize, computed: size) }
            output += member
            offset = end + 8
        } while offset < bytes.count
        return Data(output)
    }

    /// The offset of the deflate stream after the member header at `member`.
    private static func dataStart(_ bytes: [UInt8], member: Int) throws(GzipError) -> Int {
        guard member + 10 <= bytes.count else { throw .truncated(offset: bytes.count) }
        guard bytes[member] == 0x1F, bytes[member + 1] == 0x8B else { throw .notGzip(offset: member) }
        guard bytes[member + 2] == 8 else { throw .unsupportedMethod(offset: member + 2, method: bytes[member + 2]) }
        let flags = bytes[member + 3]
        guard flags & Flag.reserved == 0 else { throw .reservedFlags(offset: member + 3, flags: flags) }
        var position = member + 10
        if flags & Flag.extra != 0 {
            guard position + 2 <= bytes.count else { throw .truncated(offset: bytes.count) }
            position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
        }
        for flag in [Flag.name, Flag.comment] where flags & flag != 0 {
            guard let terminator = bytes[min(position, bytes.count)...].firstIndex(of: 0) else { throw .truncated(offset: bytes.count) }
            position = terminator + 1
        }
        if flags & Flag.headerCRC != 0 { position += 2 }
        guard position <= bytes.count else { throw .truncated(offset: bytes.count) }
        return position
    }

    private static func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
