/// One sequence being decoded: feed tokens, read next-token logits. The structured judge drives
/// it step by step (force some tokens, sample others under masks, read digit probabilities);
/// the generator drives it for free text.
///
/// Forks share the parent's model and cache, so several samples of one prompt prefill once;
/// `appendTogether` decodes one token for several forks in a single batched forward.
public final class InferenceSession {
    public let model: TransformerModel
    public let cache: KVCache
    public let sequence: SequenceID
    /// Tokens fed so far (the cache holds exactly these positions).
    public private(set) var tokens: [Int] = []
    /// Next-token logits after the last fed token (vocabulary); empty before the first feed.
    public private(set) var logits: [Float] = []
    /// Rows per forward pass during prefill.
    public var prefillBatchSize: Int

    /// - maxLength: positions this session (and its forks) may hold; the model's context by default.
    public init(model: TransformerModel, maxLength: Int? = nil, prefillBatchSize: Int = 256) {
        self.model = model
        cache = KVCache(config: model.config, maxLength: maxLength)
        sequence = cache.addSequence()
        self.prefillBatchSize = max(1, prefillBatchSize)
    }

    /// A fork of `parent`'s first `count` tokens (all of them when nil); `logits` are copied only
    /// with all the tokens.
    private init(forking parent: InferenceSession, keeping count: Int? = nil) throws(ModelError) {
        model = parent.model
        cache = parent.cache
        sequence = try cache.fork(parent.sequence, prefix: count)
        tokens = count.map { Array(parent.tokens[..<$0]) } ?? parent.tokens
        logits = count == nil ? parent.logits : []
        prefillBatchSize = parent.prefillBatchSize
    }

    deinit { cache.removeSequence(sequence) }

    /// Positions this session may hold.
    public var maxLength: Int { cache.maxLength }

    /// Feeds `ids` in batches of `prefillBatchSize`; afterwards `logits` follow the last id.
    /// Fails without feeding anything when `ids` would overflow the context.
    /// - everyRow: when given, the forward computes the logits of every row, not only the last,
    ///   and hands each batch's to it with the index in `ids` of the batch's first row (row i
    ///   of the batch holds the next-token logits after `ids[start + i]`).
    public func prefill(_ ids: [Int], everyRow: ((_ start: Int, _ logits: Logits) -> Void)? = nil) throws(ModelError) {
        guard !ids.isEmpty else { return }
        guard tokens.count + ids.count <= maxLength else {
            throw .contextOverflow(tokens: tokens.count + ids.count, contextLength: maxLength)
        }
        try model.validate(tokens: ids)
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + prefillBatchSize, ids.count)])
            let batch = TokenBatch(sequence: sequence, start: tokens.count, tokens: chunk, allLogits: everyRow != nil)
            let output = try model.forward(batch, cache: cache)
            tokens += chunk
            logits = output.row(output.rowCount - 1)
            everyRow?(start, output)
            start += chunk.count
        }
    }

    /// Feeds one token.
    public func append(_ token: Int) throws(ModelError) {
        try prefill([token])
    }

    /// A new session continuing from the same tokens (the cache prefix is copied, not recomputed).
    public func fork() throws(ModelError) -> InferenceSession {
        try InferenceSession(forking: self)
    }

    /// A new session holding the first `length` tokens (at least 1) of this one: their cache is
    /// copied and the last of them is fed again for its logits.
    public func fork(prefix length: Int) throws(ModelError) -> InferenceSession {
        guard length >= 1, length <= tokens.count else {
            throw .invalidBatch("cannot fork \(length) tokens of \(sequence), which holds \(tokens.count)")
        }
        let child = try InferenceSession(forking: self, keeping: length - 1)
        try child.append(tokens[length - 1])
        return child
    }

    /// Goes back to the first `length` tokens (at least 1) and recomputes the logits after them.
    public func rewind(to length: Int) throws(ModelError) {
        guard length >= 1, length <= tokens.count else {
            throw .invalidBatch("cannot rewind \(sequence) of \(tokens.count) tokens to \(length)")
        }
        let last = tokens[length - 1]
        try cache.truncate(sequence, to: length - 1)
        tokens.removeSubrange((length - 1)...)
        try append(last)
    }

    /// Feeds `tokens[i]` to `sessions[i]` for every i in one batched forward pass. All sessions
    /// must share one cache (forks of one session).
    public static func appendTogether(_ sessions: [InferenceSession], tokens next: [Int]) throws(ModelError) {
        guard sessions.count == next.count else {
            throw .invalidBatch("\(sessions.count) sessions but \(next.count) tokens")
        }
        try feedTogether(sessions, tokens: next.map { [$0] })
    }

    /// Feeds `tokens[i]` (any number, possibly none) to `sessions[i]` in one forward pass: a
    /// prompt chunk of one sequence can ride with other sequences' decode rows. Sessions must
    /// share one cache and be distinct; the whole batch is checked before anything is fed.
    public static func feedTogether(_ sessions: [InferenceSession], tokens: [[Int]]) throws(ModelError) {
        guard sessions.count == tokens.count else {
            throw .invalidBatch("\(sessions.count) sessions but \(tokens.count) token lists")
        }
        guard let first = sessions.first else { return }
        var rows: [TokenRow] = []
        var lastRow: [Int?] = []
        var seen = Set<SequenceID>()
        for (i, session) in sessions.enumerated() {
            guard session.cache === first.cache, session.model === first.model else {
                throw .invalidBatch("session \(i) does not share the first session's cache")
            }
            guard seen.insert(session.sequence).inserted else {
                throw .invalidBatch("session \(i) appears twice")
            }
            let ids = tokens[i]
            guard session.tokens.count + ids.count <= session.maxLength else {
                throw .contextOverflow(tokens: session.tokens.count + ids.count, contextLength: session.maxLength)
            }
            try first.model.validate(tokens: ids)
            for (offset, id) in ids.enumerated() {
                rows.append(TokenRow(sequence: session.sequence, position: session.tokens.count + offset, token: id))
            }
            lastRow.append(ids.isEmpty ? nil : rows.count - 1)
        }
        guard !rows.isEmpty else { return }
        let logitRows = lastRow.compactMap { $0 }
        let output = try first.model.forward(TokenBatch(rows: rows, logitRows: logitRows), cache: first.cache)
        var next = 0
        for (i, session) in sessions.enumerated() where lastRow[i] != nil {
            session.tokens += tokens[i]
            session.logits = output.row(next)
            next += 1
        }
    }
}
