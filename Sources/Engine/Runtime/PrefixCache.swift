/// Prompts prefilled recently, kept so that a new prompt opening the same way (every judging
/// prompt starts with the same instructions; a swapped pair shares its conversation; an
/// evaluation scores several continuations of one context) prefills only what follows the longest
/// shared prefix, as vLLM's automatic prefix caching does. Whole prompts are kept, least recently
/// used dropped first, each with its tokens' log-probabilities when it was read for them (a
/// reused prefix has no logits of its own to give). Not thread-safe: one owner drives it (the
/// scheduler's engine thread).
final class PrefixCache {
    let capacity: Int
    /// Entries each holding exactly one earlier prompt, most recently used last.
    private var entries: [Entry] = []

    private struct Entry {
        var session: InferenceSession
        /// The log-probability of each token after the first, with `alternatives` alternatives
        /// each; nil when the prompt was not read for them.
        var logprobs: [TokenLogprob]?
        var alternatives: Int
    }

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.count }

    /// A session holding the longest prefix of `prompt` that an entry shares (its logits ready),
    /// and that prefix's length; nil when no entry shares a token. With `logprobs`, only entries
    /// read for at least that many alternatives count, and the log-probabilities of the shared
    /// tokens after the first come back too (alternatives cut to `logprobs`).
    func start(_ prompt: [Int], logprobs: Int? = nil) throws(ModelError) -> (session: InferenceSession, shared: Int, logprobs: [TokenLogprob])? {
        var best: (index: Int, shared: Int)?
        for (index, entry) in entries.enumerated() {
            if let k = logprobs, entry.logprobs == nil || entry.alternatives < k { continue }
            let shared = Self.commonPrefixLength(entry.session.tokens, prompt)
            if shared >= 1, shared > best?.shared ?? 0 { best = (index, shared) }
        }
        guard let best else { return nil }
        let entry = entries.remove(at: best.index)
        entries.append(entry)
        var known: [TokenLogprob] = []
        if let k = logprobs, let stored = entry.logprobs {
            known = stored.prefix(best.shared - 1).map { item in
                var item = item
                item.top = Array(item.top.prefix(k))
                return item
            }
        }
        return (try entry.session.fork(prefix: best.shared), best.shared, known)
    }

    /// Keeps a copy of `session`, which holds a whole prompt, with its tokens' log-probabilities
    /// when they were read (`alternatives` each); entries it extends are dropped.
    func insert(_ session: InferenceSession, logprobs: [TokenLogprob]? = nil, alternatives: Int = 0) throws(ModelError) {
        guard capacity > 0, !session.tokens.isEmpty else { return }
        // The same prompt already kept with its logprobs stays as it is (now the most recent).
        if logprobs == nil, let same = entries.firstIndex(where: { $0.logprobs != nil && $0.session.tokens == session.tokens }) {
            entries.append(entries.remove(at: same))
            return
        }
        entries.removeAll { Self.commonPrefixLength($0.session.tokens, session.tokens) == $0.session.tokens.count }
        entries.append(Entry(session: try session.fork(), logprobs: logprobs, alternatives: alternatives))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    static func commonPrefixLength(_ a: [Int], _ b: [Int]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }
}
