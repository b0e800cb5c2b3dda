/// A candidate response from a reasoning model may carry its own thinking. NVIDIA's RL code
/// judges only what follows the last `</think>` (PROTOCOL.md section 1), so by default genrm does
/// the same.
public enum CandidateReasoning {
    /// The text after the last `</think>`, with the whitespace that separated it from the
    /// reasoning trimmed (Python `str.strip` rules, as NVIDIA's `split("</think>")[-1].strip()`).
    /// A text without `</think>` is returned unchanged, including an unfinished `<think>` block:
    /// there is no final answer to pick out, and the judge should see that.
    public static func finalAnswer(of text: String) -> String {
        let bytes = Array(text.utf8)
        guard let end = ByteSearch.lastRange(of: JudgmentFormat.thinkEnd, in: bytes) else { return text }
        return PythonWhitespace.strip(String(decoding: bytes[end.upperBound...], as: UTF8.self))
    }
}
