/// Identifies one sequence (one conversation, one vote) in a `KVCache`.
public struct SequenceID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public var description: String { "sequence \(rawValue)" }
}

/// Keys and values of past positions, per sequence, for the layers that have attention only,
/// in half precision (half the memory of floats; llama.cpp's default cache type).
///
/// Each sequence owns a slot: one allocation holding, for every attention layer, a key block
/// (capacity, kvDim) then a value block (capacity, kvDim), rows indexed by position. Slots grow
/// by doubling up to the context length. `fork` copies a prefix into a new slot, so N samples of
/// one prompt prefill once and decode apart.
///
/// Not thread-safe: one owner (a session or a scheduler) drives it; the forward pass reads and
/// writes rows of distinct (sequence, position) pairs from worker threads.
public final class KVCache {
    /// Key/value width (kvHeads * headDim) of each cached layer, in layer order.
    public let rowWidths: [Int]
    /// For each model layer, its index among cached layers (nil for layers without attention).
    public let cachedLayerIndex: [Int?]
    /// Positions a sequence may hold (the model's context length unless the caller chose otherwise).
    public let maxLength: Int

    /// Halves per position over all cached layers, keys and values.
    private let halvesPerPosition: Int
    /// Offset (in rows of one position) of each cached layer's key block: prefix sums of widths.
    private let layerOffsets: [Int]
    private var slots: [Int: Slot] = [:]
    private var nextID = 0

    final class Slot {
        var storage: UnsafeMutablePointer<Float16>
        var capacity: Int
        var length = 0

        init(capacity: Int, halvesPerPosition: Int) {
            self.capacity = capacity
            storage = .allocate(capacity: max(1, capacity * halvesPerPosition))
        }

        deinit { storage.deallocate() }
    }

    public init(config: ModelConfig, maxLength: Int? = nil) {
        var widths: [Int] = []
        var index: [Int?] = []
        for layer in config.layers {
            let kv = layer.attention.kvHeads
            if kv > 0 {
                index.append(widths.count)
                widths.append(kv * config.headDim)
            } else {
                index.append(nil)
            }
        }
        rowWidths = widths
        cachedLayerIndex = index
        // May exceed the training context: rope is computed per position, nothing else is sized by it.
        self.maxLength = max(1, maxLength ?? config.contextLength)
        halvesPerPosition = 2 * widths.reduce(0, +)
        var offsets: [Int] = []
        var running = 0
        for w in widths {
            offsets.append(running)
            running += 2 * w
        }
        layerOffsets = offsets
    }

    /// Bytes one position of one sequence takes over all cached layers, keys and values.
    public var bytesPerPosition: Int { 2 * halvesPerPosition }

    /// The most bytes one sequence's slot holds once it has grown to `positions` (slots double
    /// from 64 positions up to `maxLength`, so at most twice what it holds).
    public func slotBytes(holding positions: Int) -> Int {
        min(maxLength, max(64, 2 * positions)) * bytesPerPosition
    }

    /// Sequences currently held.
    public var sequences: [SequenceID] { slots.keys.sorted().map(SequenceID.init) }

    /// Starts an empty sequence.
    public func addSequence() -> SequenceID {
        let id = nextID
        nextID += 1
        slots[id] = Slot(capacity: min(64, maxLength), halvesPerPosition: halvesPerPosition)
        return SequenceID(rawValue: id)
    }

    /// A new sequence holding a copy of the first `prefix` positions of `source` (all by default).
    public func fork(_ source: SequenceID, prefix: Int? = nil) throws(ModelError) -> SequenceID {
        let from = try slot(source)
        let count = prefix ?? from.length
        guard count >= 0, count <= from.length else {
            throw .invalidBatch("cannot fork \(count) positions of \(source), which holds \(from.length)")
        }
        let id = nextID
        nextID += 1
        let to = Slot(capacity: max(min(64, maxLength), count), halvesPerPosition: halvesPerPosition)
        copyRows(from: (from.storage, from.capacity), to: (to.storage, to.capacity), count: count)
        to.length = count
        slots[id] = to
        return SequenceID(rawValue: id)
    }

    /// Frees a sequence's slot.
    public func removeSequence(_ sequence: SequenceID) {
        slots[sequence.rawValue] = nil
    }

    /// Positions cached for `sequence`.
    public func length(of sequence: SequenceID) throws(ModelError) -> Int {
        try slot(sequence).length
    }

    /// Forgets positions from `length` on (to re-decode from an earlier point).
    public func truncate(_ sequence: SequenceID, to length: Int) throws(ModelError) {
        let s = try slot(sequence)
        guard length >= 0, length <= s.length else {
            throw .invalidBatch("cannot truncate \(sequence) of \(s.length) positions to \(length)")
        }
        s.length = length
    }

    /// Makes room for `newLength` positions in `sequence` and marks them held; the caller then
    /// writes rows `oldLength..<newLength` for every cached layer.
    func extend(_ sequence: SequenceID, to newLength: Int) throws(ModelError) {
        let s = try slot(sequence)
        guard newLength <= maxLength else {
            throw .contextOverflow(tokens: newLength, contextLength: maxLength)
        }
        if newLength > s.capacity {
            var capacity = s.capacity
            while capacity < newLength { capacity *= 2 }
            capacity = min(capacity, maxLength)
            let storage = UnsafeMutablePointer<Float16>.allocate(capacity: capacity * halvesPerPosition)
            copyRows(from: (s.storage, s.capacity), to: (storage, capacity), count: s.length)
            s.storage.deallocate()
            s.storage = storage
            s.capacity = capacity
        }
        s.length = max(s.length, newLength)
    }

    /// Keys (capacity, rowWidth) and values (capacity, rowWidth) of one cached layer.
    func rows(_ sequence: SequenceID, cachedLayer: Int) throws(ModelError) -> (keys: UnsafeMutablePointer<Float16>, values: UnsafeMutablePointer<Float16>) {
        let s = try slot(sequence)
        let keys = s.storage + s.capacity * layerOffsets[cachedLayer]
        return (keys, keys + s.capacity * rowWidths[cachedLayer])
    }

    private func slot(_ sequence: SequenceID) throws(ModelError) -> Slot {
        guard let s = slots[sequence.rawValue] else { throw .invalidBatch("unknown \(sequence)") }
        return s
    }

    /// Copies the first `count` positions of every cached layer between slot layouts.
    private func copyRows(
        from: (storage: UnsafeMutablePointer<Float16>, capacity: Int),
        to: (storage: UnsafeMutablePointer<Float16>, capacity: Int), count: Int
    ) {
        for (layer, width) in rowWidths.enumerated() {
            let source = from.storage + from.capacity * layerOffsets[layer]
            let target = to.storage + to.capacity * layerOffsets[layer]
            target.update(from: source, count: count * width)
            (target + to.capacity * width).update(from: source + from.capacity * width, count: count * width)
        }
    }
}
