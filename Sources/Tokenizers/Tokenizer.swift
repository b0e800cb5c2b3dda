/// A byte-level BPE tokenizer (GPT-2 family: Llama 3, SmolLM2, Qwen2), built from GGUF metadata
/// (`init(gguf:)`) or an HF tokenizer.json (`init(tokenizerJSON:)`).
///
/// Encoding splits added tokens out of the text, pre-tokenizes the rest with the model's
/// pattern, and merges each pre-token's bytes with BPE; ids match HF `tokenizers`. Decoding
/// concatenates token bytes and only then turns them into text, so it is byte-exact.
public struct Tokenizer: Sendable {
    /// Every id decodes to bytes, even where no text would (a lone UTF-8 lead byte).
    private let tokenBytesById: [[UInt8]]
    private let tokenTextById: [String]
    private let isSpecialById: [Bool]
    private let idByText: [String: Int]
    let bpeModel: BPEModel
    private let preTokenizer: any PreTokenizer
    private let addedTokens: AddedTokenMatcher

    /// The beginning-of-sequence token, if the vocabulary has one.
    public let bos: Int?
    /// The declared end-of-sequence token, if any.
    public let eos: Int?
    /// Every id that ends a generation: `eos` and end-of-turn tokens such as `<|eot_id|>`,
    /// `<|im_end|>`; sorted.
    public let eosIds: [Int]
    /// Whether a sequence given to the model should start with `bos` (GGUF
    /// `tokenizer.ggml.add_bos_token`, tokenizer.json post-processor template).
    public let addBOS: Bool
    /// Whether a sequence should end with `eos`.
    public let addEOS: Bool

    public var vocabularySize: Int { tokenBytesById.count }

    init(_ definition: TokenizerDefinition) throws(TokenizerError) {
        let count = definition.tokens.count
        var bytes: [[UInt8]] = []
        bytes.reserveCapacity(count)
        var idByText: [String: Int] = [:]
        idByText.reserveCapacity(count)
        for (id, token) in definition.tokens.enumerated() {
            // A byte-level text with a character outside the alphabet stands for its own UTF-8
            // bytes, as in HF's ByteLevel decoder.
            let decoded = token.isByteLevel ? ByteLevelAlphabet.bytes(ofTokenText: token.text) : nil
            bytes.append(decoded ?? Array(token.text.utf8))
            if idByText[token.text] == nil { idByText[token.text] = id }
        }
        tokenBytesById = bytes
        tokenTextById = definition.tokens.map(\.text)
        isSpecialById = definition.tokens.map(\.isSpecial)
        self.idByText = idByText

        bpeModel = try BPEModel(definition, tokenBytes: bytes)
        preTokenizer = definition.preTokenizer
        var matcher = AddedTokenMatcher()
        for token in definition.addedTokens {
            guard (0..<count).contains(token.id) else {
                throw .invalidField(
                    "added token '\(token.content)'", reason: "id \(token.id) outside 0..<\(count)")
            }
            matcher.add(content: token.content, id: token.id, isSpecial: token.isSpecial)
        }
        addedTokens = matcher

        for (name, id) in [("bos", definition.bos), ("eos", definition.eos), ("unknown", definition.unknown)] {
            if let id, !(0..<count).contains(id) {
                throw .invalidField("\(name) token id", reason: "\(id) is outside 0..<\(count)")
            }
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
        if addSpecialTokens && addEOS, let eos { out.append(eos) }
        return out
    }

    /// The pre-tokens of `text` (no added-token splitting) as UTF-8 byte ranges; for tests and
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
            let ids = bpeModel.ids(of: word)
            cache[word] = ids
            for id in ids { out.append(Int(id)) }
        }
    }

    // MARK: Decoding and lookups

    /// The text of `ids`: their bytes concatenated, then read as UTF-8 with each ill-formed
    /// sequence replaced by U+FFFD (as HF does). With `skipSpecialTokens`, control/special
    /// tokens are left out.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> String {
        String(decoding: try bytes(of: ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// The concatenated bytes of `ids`.
    public func bytes(of ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> [UInt8] {
        var out: [UInt8] = []
        for (position, id) in ids.enumerated() {
            guard let bytes = tokenBytes(id) else {
                throw .idOutOfRange(id: id, position: position, vocabularySize: vocabularySize)
            }
            if skipSpecialTokens && isSpecialById[id] { continue }
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// The raw bytes token `id` stands for (`Ġthe` -> " the"), or nil for an unknown id.
    public func tokenBytes(_ id: Int) -> [UInt8]? {
        tokenBytesById.indices.contains(id) ? tokenBytesById[id] : nil
    }

    /// The text the vocabulary stores for `id` (byte-level form for BPE tokens, e.g. `Ġthe`).
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
