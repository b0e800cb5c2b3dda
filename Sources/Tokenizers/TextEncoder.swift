/// How one tokenizer family turns text into ids (BOS/EOS aside): byte-level BPE
/// (`ByteLevelBPEEncoder`) or SentencePiece (`SentencePieceEncoder`).
protocol TextEncoder: Sendable {
    /// Appends the ids of `bytes` (UTF-8). Control/special tokens written in the text become
    /// their ids only when `parseSpecial`; user-defined tokens always do.
    func encode(_ bytes: [UInt8], parseSpecial: Bool, into out: inout [Int])
}
