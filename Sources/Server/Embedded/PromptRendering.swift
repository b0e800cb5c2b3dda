import ChatTemplates
import Engine
import GenRM

extension ServedModel {
    /// The model's prompt for `messages` (its chat template, as vLLM renders it). A template that
    /// refuses the input (`raise_exception`, a bad variable) is the client's problem: a 400 with
    /// the template's message.
    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true, kwargs: TemplateObject = [:]) throws(OpenAIError) -> String {
        do {
            return try renderer.render(messages, addGenerationPrompt: addGenerationPrompt, extraContext: kwargs)
        } catch {
            throw .badRequest("the chat template refused the messages: \(error)", param: "messages")
        }
    }

    /// The prompt of an ordinary chat completion: the client's message objects whole (every key
    /// reaches the template) and its `tools`.
    func render(_ request: ChatCompletionRequest) throws(OpenAIError) -> String {
        do {
            return try renderer.render(
                objects: request.templateMessages, addGenerationPrompt: request.addGenerationPrompt, tools: request.tools,
                extraContext: request.chatTemplateKwargs)
        } catch {
            throw .badRequest("the chat template refused the messages: \(error)", param: "messages")
        }
    }
}
