import Foundation
import Hummingbird

/// vLLM's `POST /tokenize` and `POST /detokenize`, for clients that check how a text (or a chat
/// request's prompt) tokenizes, or what ids spell. Tokenizing `messages` gives the very ids a chat
/// completion of them prefills.
struct TokenizeRoutes: Sendable {
    let served: ServedModel

    func tokenize(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let tokenize = try TokenizeRequest(body: Data(body.readableBytesView))
        if !tokenize.unknownFields.isEmpty {
            context.logger.info("ignored unknown fields: \(tokenize.unknownFields.joined(separator: ", "))")
        }
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
        return try Self.json(TokenizeResponse(
            count: ids.count, maxModelLen: served.configuration.maxModelLength, tokens: ids, tokenStrs: strings))
    }

    func detokenize(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let detokenize = try DetokenizeRequest(body: Data(body.readableBytesView))
        try served.configuration.checkModel(detokenize.model)
        return try Self.json(DetokenizeResponse(prompt: try served.decode(detokenize.tokens, field: "tokens")))
    }

    private static func json(_ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ServerJSON.data(value))))
    }
}
