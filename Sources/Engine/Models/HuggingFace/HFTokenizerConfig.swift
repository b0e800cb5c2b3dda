import Foundation
import JSON

/// What a checkpoint's `tokenizer_config.json` adds to its `tokenizer.json`: the chat template
/// (`chat_template`, a string or transformers' list of named templates, of which `default` is
/// used; or a separate `chat_template.jinja`), the BOS/EOS token texts, `add_bos_token`, and the
/// added tokens it declares (`added_tokens_decoder`), which must agree with tokenizer.json.
/// Every field is optional, as is the file.
public struct HFTokenizerConfig: Sendable, Equatable {
    public static let tokenizerFileName = "tokenizer.json"
    public static let fileName = "tokenizer_config.json"
    public static let templateFileName = "chat_template.jinja"

    public struct AddedToken: Sendable, Equatable {
        public let id: Int
        public let content: String
    }

    /// The file it was read from (or would have been, when absent).
    public let path: String
    public let chatTemplate: String?
    public let bosToken: String?
    public let eosToken: String?
    public let addBOSToken: Bool?
    public let addedTokens: [AddedToken]

    /// Reads `directory`'s tokenizer_config.json (and chat_template.jinja); empty when absent.
    public init(directory: String) throws(ModelError) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        let templatePath = (directory as NSString).appendingPathComponent(Self.templateFileName)
        let object = FileManager.default.fileExists(atPath: path) ? try HFConfigReader.readObject(path: path) : JSONObject()
        let path = self.path
        let fields = JSONFields<ModelError>(object) { .configField(path: path, $0) }
        var template = try Self.chatTemplate(fields)
        if template == nil, FileManager.default.fileExists(atPath: templatePath) {
            do { template = try String(contentsOfFile: templatePath, encoding: .utf8) } catch {
                throw .unreadableConfig(path: templatePath, reason: error.localizedDescription)
            }
        }
        chatTemplate = template
        bosToken = try Self.tokenText(fields, "bos_token")
        eosToken = try Self.tokenText(fields, "eos_token")
        addBOSToken = try fields.bool("add_bos_token")
        var added: [AddedToken] = []
        if let decoder = try fields.nested("added_tokens_decoder") {
            for (key, _) in decoder.object.entries {
                guard let id = Int(key), id >= 0 else { throw decoder.fail(key, "is not a token id") }
                guard let token = try decoder.nested(key) else { throw decoder.fail(key, "must be an object") }
                added.append(AddedToken(id: id, content: try token.string(required: "content")))
            }
        }
        addedTokens = added
    }

    /// `chat_template`: a string, or `[{"name": ..., "template": ...}]` whose `default` is the one
    /// a chat without tools renders with.
    private static func chatTemplate(_ fields: JSONFields<ModelError>) throws(ModelError) -> String? {
        guard let value = fields.value("chat_template") else { return nil }
        if case .string(let source) = value { return source }
        guard let named = try fields.objects("chat_template") else { return nil }
        for entry in named {
            if try entry.string("name") == "default" { return try entry.string(required: "template") }
        }
        throw fields.fail("chat_template", "is a list of named templates without one named 'default'")
    }

    /// A special token as transformers saves it: its text, or an AddedToken object with `content`.
    private static func tokenText(_ fields: JSONFields<ModelError>, _ key: String) throws(ModelError) -> String? {
        guard let value = fields.value(key) else { return nil }
        if case .string(let text) = value { return text }
        guard let token = try fields.nested(key) else { return nil }
        return try token.string(required: "content")
    }
}
