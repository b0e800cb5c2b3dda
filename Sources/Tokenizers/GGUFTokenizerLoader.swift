import Formats

/// Building a tokenizer from a GGUF file's `tokenizer.ggml.*` metadata.
extension Tokenizer {
    /// Loads the tokenizer a GGUF file describes: byte-level BPE (`tokenizer.ggml.model = gpt2`)
    /// or SentencePiece (`llama`, as llama.cpp runs it; see `sentencePieceDefinition`).
    ///
    /// For `gpt2`, the pre-tokenizers (`.pre`) `llama-bpe`/`llama3` (with Llama 3's whole-word
    /// shortcut), `smollm`, `qwen2` and `gpt-2`/`gpt2` are supported. Token types
    /// (`.token_type`): 3 (control) tokens are special, split out of text only when encoding
    /// with `parseSpecial`; 4 (user-defined) tokens are always split out; both decode to their
    /// raw text. Other tokens are byte-level. `.unknown_token_id` is not used for BPE (llama.cpp
    /// does not either): a byte missing from the vocabulary is dropped.
    public init(gguf metadata: [String: GGUFValue]) throws(TokenizerError) {
        try self.init(GGUFTokenizerLoader(metadata).definition())
    }

    /// Loads the tokenizer of a parsed GGUF file's metadata.
    public init(gguf metadata: GGUFMetadata) throws(TokenizerError) {
        try self.init(gguf: metadata.values)
    }
}

/// Reads `tokenizer.ggml.*` metadata into a `TokenizerDefinition`.
struct GGUFTokenizerLoader {
    let metadata: [String: GGUFValue]

    init(_ metadata: [String: GGUFValue]) { self.metadata = metadata }

    /// `tokenizer.ggml.token_type` values (llama.cpp's `llama_token_type`).
    enum TokenType: Int {
        case normal = 1, unknown, control, userDefined, unused, byte
    }

    func definition() throws(TokenizerError) -> TokenizerDefinition {
        let model = try string("tokenizer.ggml.model")
        switch model {
        case "gpt2": return try bytePairDefinition()
        case "llama": return try sentencePieceDefinition()
        default: throw .unsupportedModel("tokenizer.ggml.model = \(model)")
        }
    }

    /// Byte-level BPE (`gpt2`).
    private func bytePairDefinition() throws(TokenizerError) -> TokenizerDefinition {
        let pre = try string("tokenizer.ggml.pre")
        let (preTokenizer, ignoreMerges) = try Self.preTokenizer(named: pre)

        let texts = try strings("tokenizer.ggml.tokens")
        let types = try tokenTypes(count: texts.count)

        var tokens: [TokenizerDefinition.Token] = []
        tokens.reserveCapacity(texts.count)
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(texts.count)
        var added: [TokenizerDefinition.AddedToken] = []
        var endOfGeneration: [Int] = []
        for (id, text) in texts.enumerated() {
            let type = types[id]
            guard vocabulary.updateValue(id, forKey: text) == nil else { throw .duplicateToken(text, index: id) }
            let raw = type == .control || type == .userDefined
            tokens.append(.init(text: text, isSpecial: type == .control, spelling: raw ? .raw : .byteLevel))
            if raw { added.append(.init(content: text, id: id, isSpecial: type == .control)) }
            if type == .control && TokenizerDefinition.endOfGenerationNames.contains(text) {
                endOfGeneration.append(id)
            }
        }

        let mergeStrings = try strings("tokenizer.ggml.merges")
        var merges: [(left: String, right: String)] = []
        merges.reserveCapacity(mergeStrings.count)
        for (index, merge) in mergeStrings.enumerated() {
            guard let pair = TokenizerDefinition.mergePair(merge) else {
                throw .invalidMerge(index: index, merge: merge, reason: "expected two tokens separated by one space")
            }
            merges.append(pair)
        }

        endOfGeneration += try declaredEndOfTurnTokens()
        return TokenizerDefinition(
            tokens: tokens,
            model: .bytePairs(.init(
                vocabulary: vocabulary, merges: merges, ignoreMerges: ignoreMerges, preTokenizer: preTokenizer)),
            unknown: nil,
            addedTokens: added,
            bos: try optionalInt("tokenizer.ggml.bos_token_id"),
            eos: try optionalInt("tokenizer.ggml.eos_token_id"),
            endOfGeneration: endOfGeneration,
            addBOS: try optionalBool("tokenizer.ggml.add_bos_token") ?? false,
            addEOS: try optionalBool("tokenizer.ggml.add_eos_token") ?? false
        )
    }

    /// The scanner for a `tokenizer.ggml.pre` value, and whether it uses Llama 3's whole-word
    /// shortcut (`ignore_merges`).
    static func preTokenizer(named name: String) throws(TokenizerError) -> (any PreTokenizer, Bool) {
        switch name {
        case "llama-bpe", "llama3":
            return (Llama3PatternScanner(maxDigits: 3, caseInsensitiveFolding: true), true)
        case "qwen2":
            return (Llama3PatternScanner(maxDigits: 1, caseInsensitiveFolding: true), false)
        case "smollm":
            return (PreTokenizerSequence(stages: [IndividualDigitSplitter(), GPT2PatternScanner()]), false)
        case "gpt-2", "gpt2":
            return (GPT2PatternScanner(), false)
        default:
            throw .unsupportedPreTokenizer("tokenizer.ggml.pre = \(name)")
        }
    }

    /// Each token's type; all `normal` when `tokenizer.ggml.token_type` is absent.
    func tokenTypes(count: Int) throws(TokenizerError) -> [TokenType] {
        guard metadata["tokenizer.ggml.token_type"] != nil else { return Array(repeating: .normal, count: count) }
        let values = try ints("tokenizer.ggml.token_type")
        guard values.count == count else {
            throw .invalidField("tokenizer.ggml.token_type", reason: "\(values.count) entries for \(count) tokens")
        }
        var types: [TokenType] = []
        types.reserveCapacity(count)
        for (id, value) in values.enumerated() {
            guard let type = TokenType(rawValue: value) else {
                throw .invalidField("tokenizer.ggml.token_type", reason: "entry \(id) is \(value), not 1...6")
            }
            types.append(type)
        }
        return types
    }

    /// The ids `tokenizer.ggml.eot_token_id` and `.eom_token_id` name.
    func declaredEndOfTurnTokens() throws(TokenizerError) -> [Int] {
        var ids: [Int] = []
        for key in ["tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"] {
            if let id = try optionalInt(key) { ids.append(id) }
        }
        return ids
    }

    private func value(_ key: String) throws(TokenizerError) -> GGUFValue {
        guard let value = metadata[key] else { throw .missingField(key) }
        return value
    }

    func string(_ key: String) throws(TokenizerError) -> String {
        guard let s = try value(key).string else { throw .invalidField(key, reason: "not a string") }
        return s
    }

    func strings(_ key: String) throws(TokenizerError) -> [String] {
        guard let s = try value(key).strings else { throw .invalidField(key, reason: "not an array of strings") }
        return s
    }

    func ints(_ key: String) throws(TokenizerError) -> [Int] {
        guard let i = try value(key).ints else { throw .invalidField(key, reason: "not an array of integers") }
        return i
    }

    func optionalInt(_ key: String) throws(TokenizerError) -> Int? {
        guard let value = metadata[key] else { return nil }
        guard let i = value.int else { throw .invalidField(key, reason: "not an integer") }
        return i
    }

    func floats(_ key: String) throws(TokenizerError) -> [Float] {
        guard let array = try value(key).array else { throw .invalidField(key, reason: "not an array of numbers") }
        var out: [Float] = []
        out.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            guard let number = element.double else {
                throw .invalidField(key, reason: "entry \(index) is not a number")
            }
            out.append(Float(number))
        }
        return out
    }

    func optionalBool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = metadata[key] else { return nil }
        guard let b = value.bool else { throw .invalidField(key, reason: "not a boolean") }
        return b
    }
}
