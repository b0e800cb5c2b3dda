import Foundation
import GenRM

/// RM-Bench (Liu et al., ICLR 2025): per prompt, three chosen and three rejected responses in
/// three styles; every chosen style is judged against every rejected style (nine pairings). The
/// chosen response goes to position 1 or 2 by a coin seeded with the run's seed, the item and
/// the pairing, so reruns place it the same way.
public enum RMBenchLoader {
    /// The category (report column) of each domain key; the two safety files pool into Safety.
    public static func category(ofDomain domain: String) -> String? {
        switch domain {
        case "chat": "Chat"
        case "math": "Math"
        case "code": "Code"
        case "safety-refuse", "safety-response": "Safety"
        default: nil
        }
    }

    /// Loads every file in `paths` (RM-Bench domain files, or one file whose records carry a
    /// `domain` field).
    public static func load(paths: [String], seed: UInt64) throws(EvalDataError) -> BenchmarkData {
        var items: [BenchmarkItem] = []
        var seen: Set<String> = []
        for path in paths {
            let fileDomain = DataLocation.rmBenchFiles.first { $0.file == (path as NSString).lastPathComponent }?.domain
            let records = try arrayRecords(path: path)
            for record in records {
                let item = try load(record, fileDomain: fileDomain, seed: seed)
                guard seen.insert(item.id).inserted else {
                    throw .duplicateItem(path: path, record: record.location, item: item.id)
                }
                items.append(item)
            }
        }
        let present = Set(items.map(\.category))
        return BenchmarkData(benchmark: .rmBench, items: items, missingCategories: Benchmark.rmBench.categories.filter { !present.contains($0) })
    }

    static func load(_ record: JSONRecord, fileDomain: String?, seed: UInt64) throws(EvalDataError) -> BenchmarkItem {
        let domain: String
        if let fileDomain { domain = fileDomain } else { domain = try record.string("domain") }
        guard let category = category(ofDomain: domain) else {
            throw .unknownCategory(path: record.path, record: record.location, field: "domain", value: domain)
        }
        let id = "\(domain):\(try record.integer("id"))"
        let prompt = try record.string("prompt")
        let chosen = try record.strings("chosen", count: RMBenchPairing.styles)
        let rejected = try record.strings("rejected", count: RMBenchPairing.styles)
        var judgments: [PlannedJudgment] = []
        for pairing in RMBenchPairing.all {
            let position = SeededCoin.position(seed: seed, key: "\(id)|\(pairing.key)")
            let good = chosen[pairing.chosen], bad = rejected[pairing.rejected]
            let responses = position == 1 ? [good, bad] : [bad, good]
            let request: JudgeRequest
            do {
                request = try JudgeRequest(history: [HistoryTurn(.user, prompt)], responses: responses)
            } catch {
                throw .invalidRequest(path: record.path, record: record.location, reason: error.description)
            }
            judgments.append(PlannedJudgment(pair: pairing.key, chosenPosition: position, request: request))
        }
        return BenchmarkItem(id: id, category: category, judgments: judgments)
    }

    /// A file holding one JSON array of objects; each is located as "record N" (from 0).
    static func arrayRecords(path: String) throws(EvalDataError) -> [JSONRecord] {
        let data = try DataFile.read(path)
        let value = try JSONRecord.parse(data, path: path, record: "(whole file)")
        guard case .array(let array) = value else {
            throw .invalidJSON(path: path, record: "(whole file)", reason: "expected an array of records, found \(value.kind)")
        }
        var records: [JSONRecord] = []
        for (index, element) in array.enumerated() {
            records.append(try JSONRecord(path: path, location: "record \(index)", value: element))
        }
        return records
    }
}
