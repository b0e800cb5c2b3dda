import ChatTemplates
import Foundation
import GenRM

/// A `/v1/judge` body: the judged conversation as `messages` (GenRM roles) or as
/// `{history, responses}` (plus an optional `system`), the number of votes, position swap, and
/// the judge's sampling and budget settings.
struct JudgeAPIRequest: Sendable {
    var model: String?
    var request: JudgeRequest
    var votes: Int
    var swap: Bool
    var settings: JudgeSettings

    init(body: Data, structuredByDefault: Bool, reasoningTokens: Int, analysisTokens: Int) throws(OpenAIError) {
        let fields = try RequestFields.parse(body)
        model = try fields.string("model")
        votes = try fields.int("votes") ?? 1
        guard votes >= 1 else { throw .badRequest("`votes` = \(votes) is out of range: must be >= 1", param: "votes") }
        swap = try fields.bool("swap") ?? false
        let keepReasoning = try fields.bool("keep_candidate_reasoning") ?? false
        let options = RequestOptions(stripsCandidateReasoning: !keepReasoning)
        do {
            if fields.has("messages") {
                let completion = try ChatCompletionRequest(fields)
                request = try JudgeRequest(messages: completion.chatMessages, options: options)
            } else if let history = try fields.array("history") {
                request = try JudgeRequest(messages: try Self.messages(history: history, fields: fields), options: options)
            } else {
                throw OpenAIError.badRequest("give the judged conversation as `messages` or as `history` and `responses`", param: "messages")
            }
        } catch let error as RequestError {
            throw .badRequest("invalid judging request: \(error)", param: fields.has("messages") ? "messages" : "history")
        } catch let error as OpenAIError {
            throw error
        } catch {
            throw .badRequest("invalid judging request: \(error)", param: "messages")
        }
        settings = try JudgeSettings(
            fields, votes: votes,
            base: JudgeSettings(structured: structuredByDefault, reasoningTokens: reasoningTokens, analysisTokens: analysisTokens))
        if swap, request.responseCount != .two {
            throw .badRequest(JudgeError.swapNeedsTwoResponses.description, param: "swap")
        }
    }

    /// `{"system"?, "history": [{role, content}], "responses": [text, text?]}` as GenRM messages.
    private static func messages(history: [TemplateValue], fields: RequestFields) throws(OpenAIError) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let system = try fields.string("system") { messages.append(ChatMessage(role: "system", content: system)) }
        for (index, turn) in history.enumerated() {
            guard case .string(let role)? = turn["role"], case .string(let content)? = turn["content"] else {
                throw .badRequest("`history[\(index)]` must be {\"role\": \"user\"|\"assistant\", \"content\": text}", param: "history")
            }
            messages.append(ChatMessage(role: role, content: content))
        }
        guard let responses = try fields.strings("responses"), (1...2).contains(responses.count) else {
            throw .badRequest("`responses` must be a list of one or two response texts", param: "responses")
        }
        for (index, text) in responses.enumerated() { messages.append(ChatMessage(role: "response_\(index + 1)", content: text)) }
        return messages
    }
}
