/// SentencePiece encoding as llama.cpp does it for `tokenizer.ggml.model = llama` (Gemma,
/// Llama 2, Mistral): added tokens are split out longest first, then each fragment of plain
/// text is merged whole (no pre-tokenization), with a space put before fragments that start
/// the text or follow a split-out token when `addSpacePrefix`.
struct SentencePieceEncoder: TextEncoder {
    let model: SentencePieceModel
    let addedTokens: LongestFirstTokenSplitter
    let addSpacePrefix: Bool

    func encode(_ bytes: [UInt8], parseSpecial: Bool, into out: inout [Int]) {
        // llama.cpp counts the start of the text as following a token.
        var followsToken = true
        for fragment in addedTokens.split(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let id):
                out.append(id)
                followsToken = true
            case .text(let range):
                model.encode(bytes[range], prefixSpace: addSpacePrefix && followsToken, into: &out)
                followsToken = false
            }
        }
    }
}
