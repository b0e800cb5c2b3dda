import GenRM

/// HelpSteer3's preference data (nvidia/HelpSteer3, config `preference`): a conversation
/// (`context`, its last turn the user's), two responses, and `overall_preference` from -3
/// (response 1 much better) to 3 (response 2 much better). Ties (0) carry no preference and
/// are left out, as the official accuracy excludes them. Responses stay in the data's order.
public enum HelpSteer3Loader {
    /// The one `pair` of HelpSteer3 results: response 1 in position 1.
    public static let pairKey = "12"
    public static let tieReason = "ties (overall_preference 0)"

    public static func category(ofDomain domain: String) -> String? {
        switch domain.lowercased() {
        case "general": "General"
        case "stem": "STEM"
        case "code": "Code"
        case "multilingual": "Multilingual"
        default: nil
        }
    }

    /// Loads `.jsonl` or `.jsonl.gz`. Items are `<domain>:<n>`, n counting records from 0.
    public static func load(path: String) throws(EvalDataError) -> BenchmarkData {
        var items: [BenchmarkItem] = []
        var ties = 0
        for (index, record) in try DataFile.jsonLines(path).enumerated() {
            guard let item = try load(record, index: index) else {
                ties += 1
                continue
            }
            items.append(item)
        }
        let present = Set(items.map(\.category))
        return BenchmarkData(
            benchmark: .helpSteer3, items: items,
            missingCategories: Benchmark.helpSteer3.categories.filter { !present.contains($0) },
            skipped: ties > 0 ? [tieReason: ties] : [:])
    }

    /// The item, or nil for a tie.
    static func load(_ record: JSONRecord, index: Int) throws(EvalDataError) -> BenchmarkItem? {
        let domain = try record.string("domain")
        guard let category = category(ofDomain: domain) else {
            throw .unknownCategory(path: record.path, record: record.location, field: "domain", value: domain)
        }
        let preference = try record.integer("overall_preference")
        guard (-3...3).contains(preference) else {
            throw record.invalid("overall_preference", "must be in -3...3, found \(preference)")
        }
        guard preference != 0 else { return nil }
        var messages: [ChatMessage] = []
        for turn in try record.objects("context") {
            messages.append(ChatMessage(role: try turn.string("role"), content: try turn.string("content")))
        }
        messages.append(ChatMessage(role: "response_1", content: try record.string("response1")))
        messages.append(ChatMessage(role: "response_2", content: try record.string("response2")))
        let request: JudgeRequest
        do {
            request = try JudgeRequest(messages: messages, options: RequestOptions(stripsCandidateReasoning: false))
        } catch {
            throw .invalidRequest(path: record.path, record: record.location, reason: error.description)
        }
        let judgment = PlannedJudgment(pair: pairKey, chosenPosition: preference < 0 ? 1 : 2, request: request)
        return BenchmarkItem(id: "\(domain.lowercased()):\(index)", category: category, judgments: [judgment])
    }
}
