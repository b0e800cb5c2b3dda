/// SentencePiece vocabularies in GGUF (`tokenizer.ggml.model = llama`: Gemma, Llama 2, Mistral),
/// read as llama.cpp reads them.
extension GGUFTokenizerLoader {
    /// Keys: `.tokens`; `.scores` (default 0 each) and `.token_type` (default normal);
    /// `.bos_token_id`, `.eos_token_id`, `.unknown_token_id` (llama.cpp's defaults 1, 2, 0 when
    /// absent and in range); `.add_bos_token` (default true), `.add_eos_token` (default false),
    /// `.add_space_prefix` (default true). `.pre` and `.merges` are not used.
    ///
    /// Token types: normal tokens spell spaces as U+2581; control (3) and unknown (2) tokens
    /// are special, split out of text only with `parseSpecial`; user-defined (4) tokens are
    /// always split out; these three decode to their raw text. Byte (6) tokens `<0xNN>` decode
    /// to their byte; unused (5) tokens to nothing. A token whose text names an end of turn
    /// (`TokenizerDefinition.endOfGenerationNames`) ends generation and becomes a control token
    /// whatever its type, as llama.cpp makes it (Gemma 3's user-defined `</s>` included).
    func sentencePieceDefinition() throws(TokenizerError) -> TokenizerDefinition {
        let texts = try strings("tokenizer.ggml.tokens")
        var types = try tokenTypes(count: texts.count)
        let scores: [Float]
        if metadata["tokenizer.ggml.scores"] != nil {
            scores = try floats("tokenizer.ggml.scores")
        } else {
            scores = Array(repeating: 0, count: texts.count)
        }

        var tokens: [TokenizerDefinition.Token] = []
        tokens.reserveCapacity(texts.count)
        var added: [TokenizerDefinition.AddedToken] = []
        var endOfGeneration: [Int] = []
        for (id, text) in texts.enumerated() {
            if TokenizerDefinition.endOfGenerationNames.contains(text) {
                endOfGeneration.append(id)
                types[id] = .control
            }
            switch types[id] {
            case .normal:
                tokens.append(.init(text: text, isSpecial: false, spelling: .spaceMarked))
            case .unknown, .control:
                tokens.append(.init(text: text, isSpecial: true, spelling: .raw))
                added.append(.init(content: text, id: id, isSpecial: true))
            case .userDefined:
                tokens.append(.init(text: text, isSpecial: false, spelling: .raw))
                added.append(.init(content: text, id: id, isSpecial: false))
            case .unused:
                tokens.append(.init(text: text, isSpecial: false, spelling: .nothing))
            case .byte:
                guard let byte = Self.byteValue(ofByteToken: text) else {
                    throw .invalidField("tokenizer.ggml.tokens", reason: "byte token \(id) is '\(text)', not <0xNN>")
                }
                tokens.append(.init(text: text, isSpecial: false, spelling: .byte(byte)))
            }
        }
        endOfGeneration += try declaredEndOfTurnTokens()

        func id(_ key: String, default fallback: Int) throws(TokenizerError) -> Int? {
            if let id = try optionalInt(key) { return id }
            return fallback < texts.count ? fallback : nil
        }
        return TokenizerDefinition(
            tokens: tokens,
            model: .sentencePiece(.init(
                scores: scores,
                addSpacePrefix: try optionalBool("tokenizer.ggml.add_space_prefix") ?? true)),
            unknown: try id("tokenizer.ggml.unknown_token_id", default: 0),
            addedTokens: added,
            bos: try id("tokenizer.ggml.bos_token_id", default: 1),
            eos: try id("tokenizer.ggml.eos_token_id", default: 2),
            endOfGeneration: endOfGeneration,
            addBOS: try optionalBool("tokenizer.ggml.add_bos_token") ?? true,
            addEOS: try optionalBool("tokenizer.ggml.add_eos_token") ?? false
        )
    }

    /// The byte a `<0xNN>` token stands for (two hex digits, either case), nil for any other text.
    static func byteValue(ofByteToken text: String) -> UInt8? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 6, utf8[0...2] == Array("<0x".utf8)[...], utf8[5] == UInt8(ascii: ">") else {
            return nil
        }
        return UInt8(String(decoding: utf8[3...4], as: UTF8.self), radix: 16)
    }
}
