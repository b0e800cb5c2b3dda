import GenRM

/// JudgeBench (Tan et al. 2024): pairs of responses to hard questions, one of them correct. Each
/// pair is judged twice, response A first (game "AB") and response B first (game "BA").
public enum JudgeBenchLoader {
    /// The category (report column) of a `source`: `mmlu-pro*` is Knowledge, then LiveBench
    /// reasoning and math, and LiveCodeBench.
    public static func category(ofSource source: String) -> String? {
        if source.hasPrefix("mmlu-pro") { return "Knowledge" }
        switch source {
        case "livebench-reasoning": return "Reasoning"
        case "livebench-math": return "Math"
        case "livecodebench": return "Code"
        default: return nil
        }
    }

    public static func load(path: String) throws(EvalDataError) -> BenchmarkData {
        var items: [BenchmarkItem] = []
        var seen: Set<String> = []
        for record in try DataFile.jsonLines(path) {
            let item = try load(record)
            guard seen.insert(item.id).inserted else {
                throw .duplicateItem(path: path, record: record.location, item: item.id)
            }
            items.append(item)
        }
        let present = Set(items.map(\.category))
        return BenchmarkData(benchmark: .judgeBench, items: items, missingCategories: Benchmark.judgeBench.categories.filter { !present.contains($0) })
    }

    static func load(_ record: JSONRecord) throws(EvalDataError) -> BenchmarkItem {
        let pairID = try record.string("pair_id")
        let source = try record.string("source")
        guard let category = category(ofSource: source) else {
            throw .unknownCategory(path: record.path, record: record.location, field: "source", value: source)
        }
        let question = try record.string("question")
        let responseA = try record.string("response_A"), responseB = try record.string("response_B")
        let label = try record.string("label")
        let aWins: Bool
        switch label {
        case "A>B": aWins = true
        case "B>A": aWins = false
        default: throw record.invalid("label", "must be \"A>B\" or \"B>A\", found \"\(label)\"")
        }
        do {
            let history = [HistoryTurn(.user, question)]
            return BenchmarkItem(id: pairID, category: category, judgments: [
                PlannedJudgment(pair: JudgeBenchGame.original.rawValue, chosenPosition: aWins ? 1 : 2,
                                request: try JudgeRequest(history: history, responses: [responseA, responseB])),
                PlannedJudgment(pair: JudgeBenchGame.swapped.rawValue, chosenPosition: aWins ? 2 : 1,
                                request: try JudgeRequest(history: history, responses: [responseB, responseA])),
            ])
        } catch {
            throw .invalidRequest(path: record.path, record: record.location, reason: error.description)
        }
    }
}
