import JSON
import Foundation

/// A model's Jinja chat template, parsed once and rendered as Python transformers renders it
/// (`ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with loop controls,
/// transformers' `tojson`, `raise_exception`, `strftime_now`, `namespace` and `{% generation %}`).
public struct ChatTemplate: Sendable {
    public let source: String
    let nodes: [Node]

    /// Parses `source`; throws `TemplateError.syntax` with the line and column of the problem.
    /// Like Jinja, an unknown filter or test name is a syntax error.
    public init(source: String) throws {
        self.source = source
        let parsed = try Parser.parse(source)
        try NameValidator.validate(parsed)
        self.nodes = ConstantFolding.apply(parsed)
    }

    /// Settings that are not template inputs.
    public struct Options: Sendable {
        /// The clock behind `strftime_now` (local time, like Python's `datetime.now()`).
        public var now: @Sendable () -> Date
        /// Output beyond this many UTF-8 bytes fails with `TemplateError.runtime`.
        public var maximumOutputBytes: Int

        public init(now: @escaping @Sendable () -> Date = { Date() }, maximumOutputBytes: Int = 64 << 20) {
            self.now = now
            self.maximumOutputBytes = maximumOutputBytes
        }
    }

    /// Renders a conversation the way `tokenizer.apply_chat_template(messages, tokenize=False, ...)`
    /// does: keys whose value is null are dropped from each message, `reasoning_content`,
    /// `thinking` and `reasoning` are aliased to one another, and the template sees `messages`,
    /// `tools` and `documents` (none when absent), `add_generation_prompt`, the special tokens
    /// given, and every member of `extraContext` (transformers' `**kwargs`, vLLM's
    /// `chat_template_kwargs`) as top-level variables.
    ///
    /// Messages with custom roles (`response_1`, `response_2`) pass through unchanged.
    public func render(
        messages: [TemplateValue],
        addGenerationPrompt: Bool = false,
        bosToken: String? = nil,
        eosToken: String? = nil,
        tools: [TemplateValue]? = nil,
        documents: [TemplateValue]? = nil,
        extraContext: TemplateObject = [:],
        options: Options = Options()
    ) throws -> String {
        var context = TemplateObject()
        context["messages"] = .array(try MessageNormalizer.normalize(messages))
        context["tools"] = tools.map(TemplateValue.array) ?? .null
        context["documents"] = documents.map(TemplateValue.array) ?? .null
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        if let bosToken { context["bos_token"] = .string(bosToken) }
        if let eosToken { context["eos_token"] = .string(eosToken) }
        for (key, value) in extraContext.entries {
            if ["messages", "tools", "documents", "add_generation_prompt"].contains(key) {
                throw TemplateError.runtime(line: 0, column: 0, message: "extra context may not override '\(key)'")
            }
            context[key] = value
        }
        return try render(context: context, options: options)
    }

    /// Renders with exactly the given top-level variables and no message preprocessing.
    public func render(context: TemplateObject, options: Options = Options()) throws -> String {
        let interpreter = Interpreter(clock: options.now, maximumOutputBytes: options.maximumOutputBytes)
        let scope = Scope(parent: nil)
        for (key, value) in context.entries { scope.set(key, Value(value)) }
        do {
            return try interpreter.render(nodes, context: scope)
        } catch let error as EvalError {
            // Every evaluation failure is located where it happens; this is a backstop so that
            // callers only ever see TemplateError.
            throw interpreter.locate(error, SourceLocation(line: 0, column: 0))
        }
    }
}

extension Value {
    /// Input JSON becomes Python objects: objects are dicts in insertion order.
    init(_ value: TemplateValue) {
        switch value {
        case .null: self = .none
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(Value.init))
        case .object(let object):
            var dict = Dict()
            for (key, member) in object.entries { dict.set(key, Value(member)) }
            self = .dict(dict)
        }
    }
}
