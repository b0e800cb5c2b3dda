/// Prompts prefilled recently, kept so that a new prompt opening the same way (every judging
/// prompt starts with the same instructions; a swapped pair shares its conversation) prefills only
/// what follows the longest shared prefix, as vLLM's automatic prefix caching does. Whole
/// prompts are kept, least recently used dropped first. Not thread-safe: one owner drives it
/// (the scheduler's engine thread, or the embedded judge under its lock).
final class PrefixCache {
    let capacity: Int
    /// Sessions each holding exactly one earlier prompt, most recently used last.
    private var entries: [InferenceSession] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.count }

    /// A session holding the longest prefix of `prompt` that an entry shares (its logits ready),
    /// and that prefix's length; nil when no entry shares a token.
    func start(_ prompt: [Int]) throws(ModelError) -> (session: InferenceSession, shared: Int)? {
        var best: (index: Int, shared: Int)?
        for (index, entry) in entries.enumerated() {
            let shared = Self.commonPrefixLength(entry.tokens, prompt)
            if shared >= 1, shared > best?.shared ?? 0 { best = (index, shared) }
        }
        guard let best else { return nil }
        let entry = entries.remove(at: best.index)
        entries.append(entry)
        return (try entry.fork(prefix: best.shared), best.shared)
    }

    /// Keeps a copy of `session`, which holds a whole prompt; entries it extends are dropped.
    func insert(_ session: InferenceSession) throws(ModelError) {
        guard capacity > 0, !session.tokens.isEmpty else { return }
        entries.removeAll { Self.commonPrefixLength($0.tokens, session.tokens) == $0.tokens.count }
        entries.append(try session.fork())
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    static func commonPrefixLength(_ a: [Int], _ b: [Int]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }
}
