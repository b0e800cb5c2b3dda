import Foundation

/// Building a tokenizer from an HF `tokenizer.json`.
extension Tokenizer {
    /// Loads an HF tokenizer.json whose model is byte-level BPE: `model.type = "BPE"` (with
    /// `ignore_merges`, optional `unk_token`, merges as `"a b"` strings or `["a", "b"]` pairs),
    /// no normalizer, a pre-tokenizer made of `Sequence`, `Split` (a known GPT-2, Llama 3 or
    /// Qwen2 regex, `Isolated`), `Digits(individual_digits)` and `ByteLevel`, and `added_tokens`
    /// without `lstrip`/`rstrip`/`single_word`.
    ///
    /// tokenizer.json does not name BOS/EOS: `bosToken`/`eosToken` (token contents, e.g. from
    /// tokenizer_config.json) do; when absent, a post-processor template's leading/trailing
    /// special token, else the first special token named `<|begin_of_text|>`, `<s>`, `<bos>`,
    /// `<|startoftext|>` (BOS) or `<|end_of_text|>`, `</s>`, `<eos>`, `<|endoftext|>` (EOS).
    /// `addBOS`/`addEOS` follow the post-processor template; `addBOS`, when given (tokenizer_config.json's
    /// `add_bos_token`), overrides it.
    public init(tokenizerJSON data: Data, bosToken: String? = nil, eosToken: String? = nil, addBOS: Bool? = nil) throws(TokenizerError) {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TokenizerError.malformedJSON("the top level is not an object")
            }
            root = object
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw .malformedJSON("not valid JSON (\(error.localizedDescription))")
        }
        try self.init(TokenizerJSONLoader(root: root, bosToken: bosToken, eosToken: eosToken, addBOS: addBOS).definition())
    }
}

private struct TokenizerJSONLoader {
    let root: [String: Any]
    let bosToken: String?
    let eosToken: String?
    let addBOS: Bool?

    /// Ids beyond this are refused rather than allocated for (real vocabularies stay < 300k).
    static let maximumVocabularySize = 1 << 24

    static let bosNames = ["<|begin_of_text|>", "<s>", "<bos>", "<|startoftext|>"]
    static let eosNames = ["<|end_of_text|>", "</s>", "<eos>", "<|endoftext|>"]

    func definition() throws(TokenizerError) -> TokenizerDefinition {
        guard let model = root["model"] as? [String: Any] else { throw .missingField("model") }
        let type = model["type"] as? String ?? "(none)"
        guard type == "BPE" else { throw .unsupportedModel("model.type = \(type)") }
        try rejectUnsupportedBPEOptions(model)
        if let normalizer = root["normalizer"], !(normalizer is NSNull) {
            throw .unsupportedComponent("normalizer \(Self.typeName(normalizer))")
        }
        if let decoder = root["decoder"], !(decoder is NSNull), Self.typeName(decoder) != "ByteLevel" {
            throw .unsupportedComponent("decoder \(Self.typeName(decoder)) (only ByteLevel)")
        }
        var pre = TokenizerJSONPreTokenizer()
        try pre.parse(root["pre_tokenizer"] ?? NSNull(), path: "pre_tokenizer")
        guard pre.hasByteLevel else {
            throw .unsupportedPreTokenizer("pre_tokenizer without ByteLevel (the model is not byte-level)")
        }

        guard let vocab = model["vocab"] as? [String: Any] else { throw .missingField("model.vocab") }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(vocab.count)
        var textById: [Int: String] = [:]
        for (text, value) in vocab {
            guard let id = Self.integer(value), (0..<Self.maximumVocabularySize).contains(id) else {
                throw .invalidField(
                    "model.vocab['\(text)']", reason: "not an integer id in 0..<\(Self.maximumVocabularySize)")
            }
            if let other = textById.updateValue(text, forKey: id) {
                throw .invalidField("model.vocab", reason: "'\(text)' and '\(other)' both have id \(id)")
            }
            vocabulary[text] = id
        }

        let added = try addedTokens()
        var specialById: [Int: Bool] = [:]
        for token in added {
            if let text = textById[token.id], text != token.content {
                throw .invalidField(
                    "added_tokens", reason: "id \(token.id) is '\(token.content)' but model.vocab has '\(text)'")
            }
            textById[token.id] = token.content
            specialById[token.id] = token.isSpecial
        }
        let count = (textById.keys.max() ?? -1) + 1
        var tokens: [TokenizerDefinition.Token] = []
        tokens.reserveCapacity(count)
        for id in 0..<count {
            guard let text = textById[id] else {
                throw .invalidField("model.vocab", reason: "no token (in the vocabulary or added_tokens) has id \(id)")
            }
            // HF's ByteLevel decoder reads every token, added ones included, as byte-level text.
            tokens.append(.init(text: text, isSpecial: specialById[id] ?? false, spelling: .byteLevel))
        }

        let merges = try self.merges(model)
        var unknown: Int?
        if let unk = model["unk_token"] as? String {
            guard let id = vocabulary[unk] else {
                throw .invalidField("model.unk_token", reason: "'\(unk)' is not in the vocabulary")
            }
            unknown = id
        }

        var template = TokenizerJSONPostProcessor()
        try template.parse(root["post_processor"] ?? NSNull(), path: "post_processor")
        let idOfAdded = Dictionary(added.map { ($0.content, $0.id) }, uniquingKeysWith: { first, _ in first })
        let specials = added.filter(\.isSpecial)
        func named(
            _ explicit: String?, _ fromTemplate: String?, _ names: [String], _ field: String
        ) throws(TokenizerError) -> Int? {
            if let explicit {
                guard let id = idOfAdded[explicit] ?? vocabulary[explicit] else {
                    throw .invalidField(field, reason: "'\(explicit)' is not a token")
                }
                return id
            }
            if let fromTemplate {
                guard let id = idOfAdded[fromTemplate] ?? vocabulary[fromTemplate] else {
                    throw .invalidField("post_processor", reason: "'\(fromTemplate)' is not a token")
                }
                return id
            }
            return names.lazy.compactMap { name in specials.first { $0.content == name }?.id }.first
        }
        let bos = try named(bosToken, template.leading, Self.bosNames, "bosToken")
        let eos = try named(eosToken, template.trailing, Self.eosNames, "eosToken")
        let endOfGeneration = specials
            .filter { TokenizerDefinition.endOfGenerationNames.contains($0.content) }
            .map(\.id)

        return TokenizerDefinition(
            tokens: tokens,
            model: .bytePairs(.init(
                vocabulary: vocabulary,
                merges: merges,
                ignoreMerges: model["ignore_merges"] as? Bool ?? false,
                preTokenizer: pre.result)),
            unknown: unknown,
            addedTokens: added,
            bos: bos,
            eos: eos,
            endOfGeneration: endOfGeneration,
            addBOS: addBOS ?? (template.leading != nil),
            addEOS: template.trailing != nil
        )
    }

    private func rejectUnsupportedBPEOptions(_ model: [String: Any]) throws(TokenizerError) {
        if model["byte_fallback"] as? Bool == true {
            throw .unsupportedComponent("model.byte_fallback = true (SentencePiece-style BPE)")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key] as? String, !value.isEmpty {
                throw .unsupportedComponent("model.\(key) = '\(value)'")
            }
        }
        if let dropout = model["dropout"], !(dropout is NSNull), Self.double(dropout) != 0 {
            throw .unsupportedComponent("model.dropout = \(dropout)")
        }
    }

    private func merges(_ model: [String: Any]) throws(TokenizerError) -> [(left: String, right: String)] {
        guard let list = model["merges"] as? [Any] else { throw .missingField("model.merges") }
        var merges: [(left: String, right: String)] = []
        merges.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            if let pair = item as? [String], pair.count == 2 {
                let (left, right) = (pair[0], pair[1])
                merges.append((left, right))
            } else if let merge = item as? String {
                guard let pair = TokenizerDefinition.mergePair(merge) else {
                    throw .invalidMerge(
                        index: index, merge: merge, reason: "expected two tokens separated by one space")
                }
                merges.append(pair)
            } else {
                throw .invalidMerge(
                    index: index, merge: "\(item)", reason: "neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        return merges
    }

    private func addedTokens() throws(TokenizerError) -> [TokenizerDefinition.AddedToken] {
        guard let list = root["added_tokens"] else { return [] }
        guard let entries = list as? [[String: Any]] else {
            throw .invalidField("added_tokens", reason: "not an array of objects")
        }
        var out: [TokenizerDefinition.AddedToken] = []
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"].flatMap(Self.integer), (0..<Self.maximumVocabularySize).contains(id),
                let content = entry["content"] as? String
            else {
                throw .invalidField(
                    "added_tokens[\(index)]",
                    reason: "needs an integer 'id' in 0..<\(Self.maximumVocabularySize) and a string 'content'")
            }
            for flag in ["lstrip", "rstrip", "single_word"] where entry[flag] as? Bool == true {
                throw .unsupportedComponent("added_tokens[\(index)] '\(content)' with \(flag) = true")
            }
            out.append(.init(content: content, id: id, isSpecial: entry["special"] as? Bool ?? false))
        }
        return out
    }

    static func typeName(_ component: Any) -> String {
        (component as? [String: Any])?["type"] as? String ?? "(untyped)"
    }

    static func integer(_ value: Any) -> Int? {
        value as? Int
    }

    static func double(_ value: Any) -> Double? {
        (value as? NSNumber)?.doubleValue
    }
}
