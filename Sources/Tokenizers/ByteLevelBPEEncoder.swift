/// Byte-level BPE encoding (GPT-2 family): added tokens are split out leftmost-longest (as HF
/// `tokenizers` does), the rest is pre-tokenized with the model's pattern and each pre-token's
/// bytes are merged by rank.
struct ByteLevelBPEEncoder: TextEncoder {
    let model: BPEModel
    let preTokenizer: any PreTokenizer
    let addedTokens: AddedTokenMatcher

    func encode(_ bytes: [UInt8], parseSpecial: Bool, into out: inout [Int]) {
        var cache: [ArraySlice<UInt8>: [Int32]] = [:]
        var plainStart = 0
        var i = 0
        while i < bytes.count {
            guard let match = addedTokens.longestMatch(in: bytes, at: i) else {
                i += 1
                continue
            }
            if match.isSpecial && !parseSpecial {
                // Not split out: its text stays part of the plain text around it.
                i += match.length
                continue
            }
            encodePlain(bytes, plainStart..<i, cache: &cache, into: &out)
            out.append(match.id)
            i += match.length
            plainStart = i
        }
        encodePlain(bytes, plainStart..<bytes.count, cache: &cache, into: &out)
    }

    /// The pre-tokens of `bytes` (no added-token splitting) as UTF-8 byte ranges; for tests and
    /// diagnostics.
    func preTokenize(_ bytes: [UInt8]) -> [Range<Int>] {
        let text = ClassifiedText(bytes[...])
        var ends: [Int] = []
        preTokenizer.split(text, 0..<text.count, into: &ends)
        var start = 0
        return ends.map { end in
            defer { start = end }
            return text.byteOffsets[start]..<text.byteOffsets[end]
        }
    }

    private func encodePlain(
        _ bytes: [UInt8], _ range: Range<Int>, cache: inout [ArraySlice<UInt8>: [Int32]], into out: inout [Int]
    ) {
        guard !range.isEmpty else { return }
        let text = ClassifiedText(bytes[range])
        var ends: [Int] = []
        preTokenizer.split(text, 0..<text.count, into: &ends)
        var start = 0
        for end in ends {
            let word = bytes[text.byteOffsets[start]..<text.byteOffsets[end]]
            start = end
            if let ids = cache[word] {
                for id in ids { out.append(Int(id)) }
                continue
            }
            let ids = model.ids(of: word)
            cache[word] = ids
            for id in ids { out.append(Int(id)) }
        }
    }
}
