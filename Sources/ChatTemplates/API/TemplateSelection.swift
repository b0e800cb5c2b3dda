import JSON

/// Chooses a model's chat template. `tokenizer_config.json` stores `chat_template` either as one
/// string or as a list of `{"name": ..., "template": ...}`; GGUF files store
/// `tokenizer.chat_template` plus `tokenizer.chat_template.<name>` entries.
public enum TemplateSelection {
    /// transformers' rule: an explicit name wins; otherwise `tool_use` when tools are given and it
    /// exists, then `default`; with none of those the choice is an error listing the names.
    public static func choose(from named: [String: String], name: String? = nil, hasTools: Bool = false) throws
        -> String
    {
        let available = named.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
        if let name {
            guard let template = named[name] else {
                throw TemplateError.selection(message: "no chat template named '\(name)'; available: [\(available)]")
            }
            return template
        }
        if hasTools, let template = named["tool_use"] { return template }
        if let template = named["default"] { return template }
        throw TemplateError.selection(message:
            "This model has multiple chat templates with no default specified! Please either pass a chat template or the name of the template you wish to use to the `chat_template` argument. Available template names are [\(available)].")
    }

    /// The template from a `chat_template` value of `tokenizer_config.json`.
    public static func choose(fromConfigValue value: TemplateValue, name: String? = nil, hasTools: Bool = false)
        throws -> String
    {
        switch value {
        case .string(let template):
            if let name, name != "default" {
                throw TemplateError.selection(message: "no chat template named '\(name)'; the model has a single template")
            }
            return template
        case .array(let entries):
            var named: [String: String] = [:]
            for (index, entry) in entries.enumerated() {
                guard case .string(let entryName)? = entry["name"], case .string(let template)? = entry["template"] else {
                    throw TemplateError.selection(message:
                        "chat_template[\(index)] must be an object with string fields 'name' and 'template'")
                }
                named[entryName] = template
            }
            return try choose(from: named, name: name, hasTools: hasTools)
        case .object(let object):
            var named: [String: String] = [:]
            for (key, member) in object.entries {
                guard case .string(let template) = member else {
                    throw TemplateError.selection(message: "chat_template['\(key)'] must be a string")
                }
                named[key] = template
            }
            return try choose(from: named, name: name, hasTools: hasTools)
        default:
            throw TemplateError.selection(message: "chat_template must be a string or a list of named templates")
        }
    }

    /// The template of a `tokenizer_config.json` document, or nil when it has none.
    public static func choose(fromTokenizerConfig config: TemplateValue, name: String? = nil, hasTools: Bool = false)
        throws -> String?
    {
        guard let value = config["chat_template"], value != .null else { return nil }
        return try choose(fromConfigValue: value, name: name, hasTools: hasTools)
    }
}
