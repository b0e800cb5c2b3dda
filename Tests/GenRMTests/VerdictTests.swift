import Foundation
import GenRM
import Testing

@Suite struct VerdictTests {
    @Test func rankingsMapToPreferenceAndStrength() {
        let expected: [(Int, Int, PreferenceStrength)] = [
            (1, 1, .muchBetter), (2, 1, .better), (3, 1, .slightlyBetter),
            (4, 2, .slightlyBetter), (5, 2, .better), (6, 2, .muchBetter),
        ]
        for (ranking, preferred, strength) in expected {
            #expect(Verdict(ranking: ranking) == .preference(preferred: preferred, strength: strength))
        }
        #expect(Verdict(ranking: 0) == nil)
        #expect(Verdict(ranking: 7) == nil)
    }

    @Test func verdictsReadAsSentences() {
        #expect(Verdict(ranking: 6)?.description == "Response 2 is much better than response 1.")
        #expect(Verdict(ranking: 3)?.description == "Response 1 is slightly better than response 2.")
        #expect(Verdict.helpfulness(.mostlyHelpful).description == "Response 1 is mostly helpful (helpfulness 4 of 5).")
    }

    @Test func oneResponseGetsHelpfulnessOnly() throws {
        for level in Helpfulness.allCases {
            let judgment = try Judgment(scores: [level.rawValue], ranking: nil)
            #expect(judgment.verdict == .helpfulness(level))
            #expect(judgment.preferred == nil)
        }
    }

    @Test func verdictJSONRoundTrips() throws {
        let verdicts: [Verdict] = [.helpfulness(.notHelpful), .preference(preferred: 2, strength: .slightlyBetter)]
        for verdict in verdicts {
            #expect(try JSONDecoder().decode(Verdict.self, from: JSONEncoder().encode(verdict)) == verdict)
        }
        let json = String(decoding: try JSONEncoder().encode(Verdict.preference(preferred: 1, strength: .muchBetter)), as: UTF8.self)
        #expect(json.contains("\"strength\":\"much_better\""))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Verdict.self, from: Data(#"{"kind": "preference", "preferred": 3, "strength": "better"}"#.utf8))
        }
    }
}
