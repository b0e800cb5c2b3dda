import Foundation
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
    /// With `continue_final_message` the text stops where the final message's content ends (the
    /// template's end-of-turn after it cut off, as vLLM does), so the model continues that message.
    func render(_ request: ChatCompletionRequest) throws(OpenAIError) -> String {
        let text: String
        do {
            text = try renderer.render(
                objects: request.templateMessages, addGenerationPrompt: request.addGenerationPrompt, tools: request.tools,
                extraContext: request.chatTemplateKwargs)
        } catch {
            throw .badRequest("the chat template refused the messages: \(error)", param: "messages")
        }
        guard request.continueFinalMessage, let final = request.chatMessages.last?.content, !final.isEmpty else { return text }
        guard let end = text.range(of: final, options: .backwards)?.upperBound else {
            throw .badRequest(
                "`continue_final_message`: the chat template does not write the final message's content as it is, so there is no place to continue it",
                param: "continue_final_message")
        }
        return String(text[..<end])
    }
}
