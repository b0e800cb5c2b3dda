import Foundation
import Testing
@testable import Engine
import Formats

/// The scalar reference dequantiser (and quantiser) against Python `gguf.quants`, bitwise
/// (Fixtures/dequant-golden.json, written by scripts/golden_dequant.py).
@Suite struct DequantizationGoldenTests {
    struct Golden: Decodable {
        struct Random: Decodable {
            let type: String
            let bytes: String
            let bits: String
        }
        struct Real: Decodable {
            let tensor: String
            let row: Int
            let type: String
            let bits: String
        }
        struct Quantized: Decodable {
            let type: String
            let input: String
            let bytes: String
        }
        let random: [Random]
        let real: [Real]
        let quantize: [Quantized]
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: try KernelFixtures.data("dequant-golden.json"))
    }

    static func type(named name: String) throws -> GGMLType {
        try #require(GGMLType.allCases.first { $0.name == name }, "unknown type \(name)")
    }

    @Test func randomBlocksOfEveryTypeMatchBitwise() throws {
        let golden = try Self.golden()
        #expect(Set(golden.random.map(\.type)) == Set(GGMLType.allCases.map(\.name)))
        for entry in golden.random {
            let type = try Self.type(named: entry.type)
            let bytes = KernelFixtures.bytes(hex: entry.bytes)
            let expected = KernelFixtures.floats(bits: entry.bits)
            let values = try dequantizedReference(type, bytes)
            #expect(values.count == expected.count, "\(type)")
            let mismatches = zip(values, expected).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(mismatches == 0, "\(type): \(mismatches) values differ")
        }
    }

    @Test(.enabled(if: KernelFixtures.cachedModel(KernelFixtures.smolLM2) != nil, "needs the SmolLM2 asset"))
    func realSmolLM2RowsMatchBitwise() throws {
        let golden = try Self.golden()
        #expect(!golden.real.isEmpty)
        let file = try GGUFFile(path: try #require(KernelFixtures.cachedModel(KernelFixtures.smolLM2)))
        for entry in golden.real {
            let matrix = try WeightMatrix(file: file, name: entry.tensor)
            #expect(matrix.type.name == entry.type)
            let expected = KernelFixtures.floats(bits: entry.bits)
            let values = try matrix.dequantizedRowReference(entry.row)
            #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "\(entry.tensor) row \(entry.row)")
            #expect(try matrix.embeddingRow(entry.row).map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }

    @Test func referenceQuantisationMatchesPythonBytes() throws {
        for entry in try Self.golden().quantize {
            let type = try Self.type(named: entry.type)
            let input = KernelFixtures.floats(bits: entry.input)
            #expect(try type.quantizeReference(input) == KernelFixtures.bytes(hex: entry.bytes), "\(type)")
        }
    }

    @Test func partialBlocksAndBadValuesAreRefused() throws {
        let bytes = [UInt8](repeating: 0, count: 21)
        #expect(throws: TensorError.notWholeBlocks(type: .q4_1, byteCount: 21)) {
            try dequantizedReference(.q4_1, bytes)
        }
        #expect(throws: TensorError.elementCountNotBlockMultiple(type: .q8_0, count: 31)) {
            try GGMLType.q8_0.quantizeReference([Float](repeating: 1, count: 31))
        }
        var values = [Float](repeating: 1, count: 32)
        values[9] = .nan
        #expect(throws: TensorError.nonFinite(index: 9)) { try GGMLType.q4_0.quantizeReference(values) }
        #expect(throws: TensorError.unsupportedType(type: .q6_K, operation: "reference quantisation")) {
            try GGMLType.q6_K.quantizeReference([Float](repeating: 1, count: 256))
        }
    }
}
