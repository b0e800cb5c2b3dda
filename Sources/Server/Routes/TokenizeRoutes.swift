import Foundation
import Hummingbird

/// vLLM's `POST /tokenize` and `POST /detokenize`, for clients that check how a text (or a chat
/// request's prompt) tokenizes, or what ids spell. Tokenizing `messages` gives the very ids a chat
/// completion of them prefills.
struct TokenizeRoutes: Sendable {
    let served: ServedModel

    func tokenize(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let tokenize = try TokenizeRequest(body: try await request.bodyData(context))
        context.logIgnored(tokenize.unknownFields)
        try served.configuration.checkModel(tokenize.model)
        let ids: [Int]
        switch tokenize.input {
        case .prompt(let text):
            ids = tokenize.addSpecialTokens
                ? served.model.encodeRawPrompt(text, parseSpecial: true) : served.model.tokenizer.encode(text, parseSpecial: true)
        case .chat(let chat):
            ids = try served.chatPrompt(chat).ids
        }
        let strings = tokenize.returnTokenStrs ? ids.map { served.model.tokenizer.tokenText($0) ?? "" } : nil
        return InfoRoutes.json(try ServerJSON.data(TokenizeResponse(
            count: ids.count, maxModelLen: served.configuration.maxModelLength, tokens: ids, tokenStrs: strings)))
    }

    func detokenize(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let detokenize = try DetokenizeRequest(body: try await request.bodyData(context))
        try served.configuration.checkModel(detokenize.model)
        return InfoRoutes.json(try ServerJSON.data(DetokenizeResponse(prompt: try served.decode(detokenize.tokens, field: "tokens"))))
    }
}
