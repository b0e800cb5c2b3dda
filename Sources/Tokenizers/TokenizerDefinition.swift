/// What a loader (GGUF metadata or tokenizer.json) extracts, before the tokenizer builds its
/// lookup structures from it.
struct TokenizerDefinition {
    /// One entry per token id.
    struct Token {
        /// The text the vocabulary stores: byte-level form for BPE tokens (`Ġthe`), U+2581 for
        /// spaces in SentencePiece tokens (`▁the`), the raw content for added tokens
        /// (`<|eot_id|>`).
        var text: String
        /// Control/special tokens are skipped by `decode(_:skipSpecialTokens: true)`.
        var isSpecial: Bool
        /// How `text` becomes the bytes the token stands for.
        var spelling: Spelling
    }

    /// How a token's stored text spells the bytes it stands for.
    enum Spelling {
        /// Byte-level BPE: each character is one byte of the GPT-2 alphabet.
        case byteLevel
        /// The text's own UTF-8 (added, control and user-defined tokens).
        case raw
        /// SentencePiece: the text's UTF-8 with U+2581 standing for a space.
        case spaceMarked
        /// A SentencePiece byte token (`<0x0A>`): that one byte.
        case byte(UInt8)
        /// Nothing (llama.cpp decodes unused-type tokens to the empty string).
        case nothing
    }

    /// An added token split out of text before pre-tokenization.
    struct AddedToken {
        var content: String
        var id: Int
        /// Special tokens are only recognised when encoding with `parseSpecial`.
        var isSpecial: Bool
    }

    /// How the text between split-out added tokens becomes ids.
    enum Model {
        case bytePairs(BytePairs)
        case sentencePiece(SentencePiece)
    }

    /// Byte-level BPE (GPT-2 family): pre-tokenize, then merge each pre-token's bytes by rank.
    struct BytePairs {
        /// Byte-level text to id.
        var vocabulary: [String: Int]
        /// Merge rules in rank order, as (left, right) byte-level texts.
        var merges: [(left: String, right: String)]
        var ignoreMerges: Bool
        var preTokenizer: any PreTokenizer
    }

    /// SentencePiece-style BPE as llama.cpp runs it (`tokenizer.ggml.model = llama`): spaces become
    /// U+2581, characters merge by token score, leftovers fall back to `<0xNN>` byte tokens.
    struct SentencePiece {
        /// (token count) each token's score; the adjacent pair forming the highest-scoring
        /// token merges first.
        var scores: [Float]
        /// Prepend a space to text at the start and after every split-out token (GGUF
        /// `tokenizer.ggml.add_space_prefix`); decoding then drops the first token's leading space.
        var addSpacePrefix: Bool
    }

    var tokens: [Token]
    var model: Model
    var unknown: Int?
    var addedTokens: [AddedToken]
    var bos: Int?
    var eos: Int?
    var endOfGeneration: [Int]
    var addBOS: Bool
    var addEOS: Bool

    /// Token texts that end a generation (besides the declared EOS), recognised by name as
    /// llama.cpp does (`special_eog_ids`): Llama 3's `<|eot_id|>`/`<|eom_id|>`, ChatML's
    /// `<|im_end|>`, Gemma's `<end_of_turn>`, ...
    static let endOfGenerationNames: Set<String> = [
        "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>", "<|end|>",
        "<end_of_turn>", "</s>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<EOT>", "_<EOT>",
        "[EOT]", "[EOS]", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
        "<｜end▁of▁sentence｜>",
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
