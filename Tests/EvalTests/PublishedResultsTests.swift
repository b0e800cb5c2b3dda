import Foundation
import Testing
@testable import Eval

/// The published rows the report prints are the model card's, number for number: the card's
/// table lines are parsed from ../shared/seed/model-card.txt and compared.
@Suite struct PublishedResultsTests {
    static let card: String? = {
        let path = (EvalFiles.sharedData as NSString).deletingLastPathComponent + "/seed/model-card.txt"
        return try? String(contentsOfFile: path, encoding: .utf8)
    }()

    /// The card's rows of one table: the lines between `heading` and the next blank-line note,
    /// each a model name followed by numbers.
    func cardRows(after heading: String, columns: Int) throws -> [(String, [Double])] {
        let text = try #require(Self.card, "model card not found next to the shared data")
        let start = try #require(text.range(of: heading))
        var rows: [(String, [Double])] = []
        for line in text[start.upperBound...].split(separator: "\n").dropFirst(2) {
            let words = line.split(separator: " ")
            let numbers = words.suffix(columns).compactMap { Double($0) }
            guard numbers.count == columns else { break }
            rows.append((words.dropLast(columns).joined(separator: " "), numbers))
        }
        return rows
    }

    @Test(arguments: [(Benchmark.rmBench, "RM-Bench LeaderBoard"), (Benchmark.judgeBench, "JudgeBench LeaderBoard")])
    func rowsMatchTheModelCard(_ benchmark: Benchmark, _ heading: String) throws {
        let card = try cardRows(after: heading, columns: benchmark.columns.count)
        let ours = PublishedResults.rows(for: benchmark)
        #expect(card.count == 9)
        #expect(ours.map(\.model) == card.map(\.0))
        for (row, (_, numbers)) in zip(ours, card) {
            #expect(benchmark.columns.map { row.values[$0] ?? -1 } == numbers, "\(row.model)")
        }
    }
}
