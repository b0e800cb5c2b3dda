import JSON

/// transformers' message preparation before rendering.
enum MessageNormalizer {
    static let reasoningFields = ["reasoning_content", "thinking", "reasoning"]

    static func normalize(_ messages: [TemplateValue]) throws -> [TemplateValue] {
        try messages.enumerated().map { index, message in
            guard case .object(let object) = message else {
                throw TemplateError.runtime(line: 0, column: 0, message: "message \(index) is not a JSON object")
            }
            var kept = TemplateObject(object.entries.filter { $0.value != .null }.map { ($0.key, $0.value) })
            if let reasoning = reasoningFields.lazy.compactMap({ kept[$0] }).first {
                // Python: {"thinking": r, **message, "reasoning_content": r}
                var aliased = TemplateObject()
                aliased["thinking"] = reasoning
                for (key, value) in kept.entries { aliased[key] = value }
                aliased["reasoning_content"] = reasoning
                kept = aliased
            }
            return .object(kept)
        }
    }
}
