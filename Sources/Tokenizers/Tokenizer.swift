/// A tokenizer built from GGUF metadata (`init(gguf:)`: byte-level BPE or SentencePiece) or an
/// HF tokenizer.json (`init(tokenizerJSON:)`: byte-level BPE).
///
/// Byte-level BPE (GPT-2 family: Llama 3, SmolLM2, Qwen2) splits added tokens out of the text,
/// pre-tokenizes the rest with the model's pattern and merges each pre-token's bytes; ids match
/// HF `tokenizers`. SentencePiece (Gemma 3, Llama 2; GGUF `tokenizer.ggml.model = llama`) merges
/// characters by token score with byte fallback; ids match llama.cpp. Decoding concatenates token
/// bytes and only then turns them into text, so it is byte-exact.
public struct Tokenizer: Sendable {
    /// Every id decodes to bytes, even where no text would (a lone UTF-8 lead byte).
    private let tokenBytesById: [[UInt8]]
    private let tokenTextById: [String]
    private let isSpecialById: [Bool]
    private let idByText: [String: Int]
    /// How text becomes ids: the part that differs between tokenizer families.
    let encoder: any TextEncoder
    /// llama.cpp's decoding under `add_space_prefix`: the first token loses one leading space,
    /// the one encoding put there.
    private let dropsFirstLeadingSpace: Bool

    /// The beginning-of-sequence token, if the vocabulary has one.
    public let bos: Int?
    /// The declared end-of-sequence token, if any.
    public let eos: Int?
    /// Every id that ends a generation: `eos` and end-of-turn tokens such as `<|eot_id|>`,
    /// `<|im_end|>`, `<end_of_turn>`; sorted.
    public let eosIds: [Int]
    /// Whether a sequence given to the model should start with `bos` (GGUF
    /// `tokenizer.ggml.add_bos_token`, tokenizer.json post-processor template).
    public let addBOS: Bool
    /// Whether a sequence should end with `eos`.
    public let addEOS: Bool

    public var vocabularySize: Int { tokenBytesById.count }

    init(_ definition: TokenizerDefinition) throws(TokenizerError) {
        let count = definition.tokens.count
        let bytes = definition.tokens.map { $0.spelling.bytes(of: $0.text) }
        var idByText: [String: Int] = [:]
        idByText.reserveCapacity(count)
        for (id, token) in definition.tokens.enumerated() where idByText[token.text] == nil {
            idByText[token.text] = id
        }
        tokenBytesById = bytes
        tokenTextById = definition.tokens.map(\.text)
        isSpecialById = definition.tokens.map(\.isSpecial)
        self.idByText = idByText

        var matcher = AddedTokenMatcher()
        for token in definition.addedTokens {
            guard (0..<count).contains(token.id) else {
                throw .invalidField(
                    "added token '\(token.content)'", reason: "id \(token.id) outside 0..<\(count)")
            }
            matcher.add(content: token.content, id: token.id, isSpecial: token.isSpecial)
        }
        for (name, id) in [("bos", definition.bos), ("eos", definition.eos), ("unknown", definition.unknown)] {
            if let id, !(0..<count).contains(id) {
                throw .invalidField("\(name) token id", reason: "\(id) is outside 0..<\(count)")
            }
        }
        switch definition.model {
        case .bytePairs(let bytePairs):
            let model = try BPEModel(bytePairs, unknown: definition.unknown, tokenBytes: bytes)
            encoder = ByteLevelBPEEncoder(model: model, preTokenizer: bytePairs.preTokenizer, addedTokens: matcher)
            dropsFirstLeadingSpace = false
        case .sentencePiece(let sentencePiece):
            let vocabulary = try SentencePieceVocabulary(
                texts: definition.tokens.map(\.text), scores: sentencePiece.scores)
            encoder = SentencePieceEncoder(
                model: SentencePieceModel(vocabulary: vocabulary, unknown: definition.unknown),
                addedTokens: LongestFirstTokenSplitter(matcher),
                addSpacePrefix: sentencePiece.addSpacePrefix)
            dropsFirstLeadingSpace = sentencePiece.addSpacePrefix
        }

        for id in definition.endOfGeneration where !(0..<count).contains(id) {
            throw .invalidField("end-of-generation token id", reason: "\(id) is outside 0..<\(count)")
        }
        bos = definition.bos
        eos = definition.eos
        eosIds = Array(Set(definition.endOfGeneration + (definition.eos.map { [$0] } ?? []))).sorted()
        if definition.addBOS && definition.bos == nil {
            throw .invalidField("add BOS", reason: "asked for, but there is no BOS token")
        }
        if definition.addEOS && definition.eos == nil {
            throw .invalidField("add EOS", reason: "asked for, but there is no EOS token")
        }
        addBOS = definition.addBOS
        addEOS = definition.addEOS
    }

    // MARK: Encoding

    /// The ids of `text`. Control/special tokens written in the text (`<|eot_id|>`) become their
    /// ids only when `parseSpecial`; otherwise they are encoded as plain text. User-defined
    /// tokens are always recognised. With `addSpecialTokens`, `bos`/`eos` are added as
    /// `addBOS`/`addEOS` ask (chat templates usually write BOS themselves).
    public func encode(_ text: String, parseSpecial: Bool, addSpecialTokens: Bool = false) -> [Int] {
        let bytes = Array(text.utf8)
        var out: [Int] = []
        out.reserveCapacity(bytes.count / 3 + 2)
        if addSpecialTokens && addBOS, let bos { out.append(bos) }
        encoder.encode(bytes, parseSpecial: parseSpecial, into: &out)
        if addSpecialTokens && addEOS, let eos { out.append(eos) }
        return out
    }

    /// The byte-level BPE encoder, for tests and diagnostics (nil for SentencePiece).
    var byteLevelBPE: ByteLevelBPEEncoder? { encoder as? ByteLevelBPEEncoder }

    /// The SentencePiece encoder, for tests and diagnostics (nil for byte-level BPE).
    var sentencePiece: SentencePieceEncoder? { encoder as? SentencePieceEncoder }

    // MARK: Decoding and lookups

    /// The text of `ids`: their bytes concatenated, then read as UTF-8 with each ill-formed
    /// sequence replaced by U+FFFD (as HF does). With `skipSpecialTokens`, control/special
    /// tokens are left out. For SentencePiece this is llama.cpp's `llama_detokenize` with
    /// `remove_special` false and `unparse_special` = !skipSpecialTokens.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> String {
        String(decoding: try bytes(of: ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// The concatenated bytes of `ids` (each as `piece(_:at:skipSpecialTokens:)` gives it).
    public func bytes(of ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> [UInt8] {
        var out: [UInt8] = []
        for (position, id) in ids.enumerated() {
            guard let piece = piece(id, at: position, skipSpecialTokens: skipSpecialTokens) else {
                throw .idOutOfRange(id: id, position: position, vocabularySize: vocabularySize)
            }
            out.append(contentsOf: piece)
        }
        return out
    }

    /// What `id` adds to a decoding at `position` of the ids: its bytes, nothing for a special
    /// token when `skipSpecialTokens`, and at position 0 without one leading space when encoding
    /// adds a space prefix (as llama.cpp decodes). Nil for an unknown id.
    func piece(_ id: Int, at position: Int, skipSpecialTokens: Bool) -> ArraySlice<UInt8>? {
        guard let bytes = tokenBytes(id) else { return nil }
        if skipSpecialTokens && isSpecialById[id] { return [] }
        if position == 0 && dropsFirstLeadingSpace && bytes.first == UInt8(ascii: " ") { return bytes.dropFirst() }
        return bytes[...]
    }

    /// The raw bytes token `id` stands for (`Ġthe`, `▁the` -> " the"; `<0x0A>` -> "\n"), or nil
    /// for an unknown id.
    public func tokenBytes(_ id: Int) -> [UInt8]? {
        tokenBytesById.indices.contains(id) ? tokenBytesById[id] : nil
    }

    /// The text the vocabulary stores for `id` (byte-level form for BPE tokens, e.g. `Ġthe`;
    /// `▁the` in SentencePiece).
    public func tokenText(_ id: Int) -> String? {
        tokenTextById.indices.contains(id) ? tokenTextById[id] : nil
    }

    /// The id of the token whose stored text is `token` (`"<|eot_id|>"`, `"Ġthe"`).
    public func id(forToken token: String) -> Int? {
        idByText[token]
    }

    /// Whether `id` is a control/special token.
    public func isSpecial(_ id: Int) -> Bool {
        isSpecialById.indices.contains(id) && isSpecialById[id]
    }

    /// A decoder for ids that arrive one at a time.
    public func makeStreamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}
