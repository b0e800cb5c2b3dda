/// vLLM's `--reasoning-parser` split of a model's text: what comes before the first `</think>` is
/// reasoning, what follows is the answer (a leading `<think>` is dropped). Works on streamed text:
/// a piece that might be the start of `</think>` is held back until the next piece settles it.
struct ReasoningSplitter {
    static let open = "<think>"
    static let close = "</think>"

    private var inReasoning = true
    private var held = ""
    private var atStart = true

    /// The whole text split at once: no `</think>` means everything is reasoning, content nil.
    static func split(_ text: String) -> (reasoning: String?, content: String?) {
        var body = Substring(text)
        if body.hasPrefix(open) { body = body.dropFirst(open.count) }
        guard let range = body.range(of: close) else { return (String(body), nil) }
        return (String(body[..<range.lowerBound]), String(body[range.upperBound...]))
    }

    /// Routes a streamed piece: the reasoning and content it settles.
    mutating func feed(_ piece: String) -> (reasoning: String, content: String) {
        guard inReasoning else { return ("", piece) }
        held += piece
        if atStart {
            // Wait until it is clear whether the text opens with <think>.
            if Self.open.hasPrefix(held) && held.count < Self.open.count { return ("", "") }
            if held.hasPrefix(Self.open) { held.removeFirst(Self.open.count) }
            atStart = false
        }
        if let range = held.range(of: Self.close) {
            let reasoning = String(held[..<range.lowerBound])
            let content = String(held[range.upperBound...])
            held = ""
            inReasoning = false
            return (reasoning, content)
        }
        // Keep back the longest tail that could begin </think>.
        var keep = 0
        for length in stride(from: min(Self.close.count - 1, held.count), to: 0, by: -1)
        where held.hasSuffix(Self.close.prefix(length)) {
            keep = length
            break
        }
        let ready = String(held.dropLast(keep))
        held = String(held.suffix(keep))
        return (ready, "")
    }

    /// What is still held back, once the text has ended.
    mutating func finish() -> (reasoning: String, content: String) {
        defer { held = "" }
        return inReasoning ? (held, "") : ("", held)
    }
}
