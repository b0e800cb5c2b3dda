import Foundation
import Testing
@testable import Eval

/// gzip and inflate against Python zlib's output (scripts/golden_gzip.py): every block type,
/// several members, every header field; and corrupt input refused with the offset.
@Suite struct GzipTests {
    static let variants = ["stored", "fixed", "dynamic", "multimember", "headers"]

    @Test(arguments: variants) func decompressesToTheOriginalBytes(_ variant: String) throws {
        let expected = try Data(contentsOf: try EvalFiles.fixture("gzip/data.bin"))
        let compressed = try Data(contentsOf: try EvalFiles.fixture("gzip/\(variant).gz"))
        #expect(try Gzip.decompress(compressed) == expected)
    }

    @Test func emptyInputGivesNoBytes() throws {
        #expect(try Gzip.decompress(try Data(contentsOf: try EvalFiles.fixture("gzip/empty.gz"))).isEmpty)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func corruptInputIsRefusedWithItsOffset() throws {
        let good = [UInt8](try Data(contentsOf: try EvalFiles.fixture("gzip/dynamic.gz")))
        var badChecksum = good
        badChecksum[good.count - 8] ^= 0xFF
        #expect(throws: GzipError.self) { _ = try Gzip.decompress(Data(badChecksum)) }
        let checksumError = #expect(throws: GzipError.self) { _ = try Gzip.decompress(Data(badChecksum)) }
        #expect(checksumError?.description.contains("CRC-32 mismatch") == true)

        var badSize = good
        badSize[good.count - 1] ^= 0x01
        let sizeError = #expect(throws: GzipError.self) { _ = try Gzip.decompress(Data(badSize)) }
        #expect(sizeError?.description.contains("size mismatch") == true)

        #expect(throws: GzipError.truncated(offset: 1000)) { _ = try Gzip.decompress(Data(good.prefix(1000))) }
        #expect(throws: GzipError.notGzip(offset: 0)) { _ = try Gzip.decompress(Data("{\"answer\": 42}\n".utf8)) }
        var method = good
        method[2] = 7
        #expect(throws: GzipError.unsupportedMethod(offset: 2, method: 7)) { _ = try Gzip.decompress(Data(method)) }
        // Trailing bytes that are not another member.
        #expect(throws: GzipError.notGzip(offset: good.count)) { _ = try Gzip.decompress(Data(good + [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09])) }
    }

    @Test func invalidDeflateDataIsRefused() {
        // Block header bits: final = 1, type = 3 (reserved).
        #expect(throws: GzipError.invalidDeflate(offset: 0)) { _ = try Inflate.decompress([0x07]) }
        // A stored block whose length and complement disagree.
        #expect(throws: GzipError.invalidDeflate(offset: 0)) { _ = try Inflate.decompress([0x01, 0x05, 0x00, 0x00, 0x00]) }
        // A fixed block whose first symbol copies from before the start: literal/length code for
        // length 3 (symbol 257, 7 bits 0000001) then distance code 0 (distance 1, 5 bits 00000).
        #expect(throws: GzipError.self) { _ = try Inflate.decompress([0x03, 0x02, 0x00]) }
    }

    @Test func rawStoredBlockRoundTrips() throws {
        // final stored block of 3 bytes "abc": header bit 1, type 00, then LEN 3, NLEN ~3.
        let (output, end) = try Inflate.decompress([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63])
        #expect(output == Array("abc".utf8))
        #expect(end == 8)
    }
}
