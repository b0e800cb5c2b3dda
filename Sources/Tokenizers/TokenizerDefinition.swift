/// What a loader (GGUF metadata or tokenizer.json) extracts, before the tokenizer builds its
/// lookup structures from it.
struct TokenizerDefinition {
    /// One entry per token id.
    struct Token {
        /// The text the vocabulary stores: byte-level form for BPE tokens (`Ġthe`), the raw
        /// content for added tokens (`<|eot_id|>`).
        var text: String
        /// Control/special tokens are skipped by `decode(_:skipSpecialTokens: true)`.
        var isSpecial: Bool
        /// Stored text is byte-level (decoded through the GPT-2 alphabet) rather than raw.
        var isByteLevel: Bool
    }

    /// An added token split out of text before pre-tokenization.
    struct AddedToken {
        var content: String
        var id: Int
        /// Special tokens are only recognised when encoding with `parseSpecial`.
        var isSpecial: Bool
    }

    var tokens: [Token]
    /// The BPE model's vocabulary: byte-level text to id.
    var bpeVocabulary: [String: Int]
    /// Merge rules in rank order, as (left, right) byte-level texts.
    var merges: [(left: String, right: String)]
    var ignoreMerges: Bool
    var unknown: Int?
    var addedTokens: [AddedToken]
    var preTokenizer: any PreTokenizer
    var bos: Int?
    var eos: Int?
    var endOfGeneration: [Int]
    var addBOS: Bool
    var addEOS: Bool

    /// Added-token contents that end a generation (besides the declared EOS), recognised by
    /// name as llama.cpp does: Llama 3's `<|eot_id|>`/`<|eom_id|>`, ChatML's `<|im_end|>`, ...
    static let endOfGenerationNames: Set<String> = [
        "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>", "<|end|>",
        "<end_of_turn>", "</s>",
    ]

    /// Splits a merge written `"left right"` at its single space (by scalars: Swift's
    /// `Character` view would glue a space to a following combining mark).
    static func mergePair(_ merge: String) -> (left: String, right: String)? {
        let scalars = merge.unicodeScalars
        guard let space = scalars.firstIndex(of: " ") else { return nil }
        let left = String(scalars[..<space])
        let right = String(scalars[scalars.index(after: space)...])
        guard !left.isEmpty, !right.isEmpty, !right.unicodeScalars.contains(" ") else { return nil }
        return (left, right)
    }
}
