/// One row of a forward pass: feed `token` at `position` of `sequence`.
public struct TokenRow: Sendable, Equatable {
    public var sequence: SequenceID
    public var position: Int
    public var token: Int

    public init(sequence: SequenceID, position: Int, token: Int) {
        self.sequence = sequence
        self.position = position
        self.token = token
    }
}

/// Rows evaluated together: a prompt chunk of one sequence, one new token of each of several
/// sequences, or a mix. Within a sequence, positions must continue its cache without gaps.
public struct TokenBatch: Sendable, Equatable {
    public var rows: [TokenRow]
    /// Indices of rows whose next-token logits the caller wants (usually each sequence's last).
    public var logitRows: [Int]

    public init(rows: [TokenRow], logitRows: [Int]) {
        self.rows = rows
        self.logitRows = logitRows
    }

    /// `tokens` of one sequence starting at `start`, with logits for the last row only.
    public init(sequence: SequenceID, start: Int, tokens: [Int], allLogits: Bool = false) {
        rows = tokens.enumerated().map { TokenRow(sequence: sequence, position: start + $0.offset, token: $0.element) }
        logitRows = allLogits ? Array(rows.indices) : (rows.isEmpty ? [] : [rows.count - 1])
    }
}

/// Next-token logits for the requested rows of a batch, row-major.
public struct Logits: Sendable, Equatable {
    public let vocabularySize: Int
    /// (rows, vocabularySize)
    public let values: [Float]

    public init(vocabularySize: Int, values: [Float]) {
        self.vocabularySize = vocabularySize
        self.values = values
    }

    public var rowCount: Int { vocabularySize == 0 ? 0 : values.count / vocabularySize }

    /// The logits of the `i`-th requested row.
    public func row(_ i: Int) -> [Float] {
        Array(values[(i * vocabularySize)..<((i + 1) * vocabularySize)])
    }
}
