import Foundation
import Testing
@testable import Engine
import Formats

/// The Swift reference quantizers against ggml's own C `quantize_row_q8_0_ref` and
/// `quantize_row_q4_K_ref`, byte for byte, on rows that reach every edge of their rounding: ties,
/// flat and one-signed sub-blocks, tiny, huge and subnormal values (Fixtures/quantize-ggml-golden.json,
/// written by scripts/golden_ggml_quantize.py with llama-cpp-python's libggml).
@Suite struct GGMLQuantizationGoldenTests {
    struct Golden: Decodable {
        struct Row: Decodable {
            let name: String
            let input: String
            let q8_0: String
            let q4_K: String

            enum CodingKeys: String, CodingKey {
                case name, input
                case q8_0 = "Q8_0"
                case q4_K = "Q4_K"
            }
        }
        let rows: [Row]
    }

    static let golden: Golden? = try? JSONDecoder().decode(Golden.self, from: KernelFixtures.data("quantize-ggml-golden.json"))

    @Test func referenceQuantizersWriteGGMLsBytes() throws {
        let golden = try #require(Self.golden)
        #expect(golden.rows.count >= 20)
        for row in golden.rows {
            let input = KernelFixtures.floats(bits: row.input)
            for (type, hex) in [(GGMLType.q8_0, row.q8_0), (.q4_K, row.q4_K)] {
                let encoded = try type.quantizeReference(input)
                let expected = KernelFixtures.bytes(hex: hex)
                #expect(encoded == expected, "\(row.name), \(type): first difference at byte \(KernelFixtures.firstDifference(encoded, expected) ?? 0)")
            }
        }
    }
}
