import Testing
@testable import Engine

/// `BlockedAttention` (widened cache, tiles of queries) against `Attention.head` (bit for bit:
/// batching must not change a row's result) and `Attention.reference`; `AttentionDots` against
/// its portable twin; the forward pass's split of rows into runs.
@Suite struct BlockedAttentionTests {
    /// headDim 16 and 80 take the 16-wide value sums, 64 and 80 the 64-wide ones; lengths
    /// cross the 8-key score groups and the 64-position key blocks and leave partial ones.
    @Test(arguments: [(16, 3, 8, 1), (64, 3, 8, 30), (64, 1, 5, 17), (80, 3, 3, 40), (16, 2, 1, 1), (64, 3, 7, 16),
                      (64, 3, 8, 60), (32, 2, 4, 150)])
    func tileEqualsHeadByHeadAndMatchesReference(headDim: Int, heads: Int, rows: Int, firstLength: Int) {
        var random = TestRandom(seed: UInt64(headDim * 1000 + rows * 10 + firstLength))
        let kvHeads = 2
        let kvHead = 1
        let stride = kvHeads * headDim
        let length = firstLength + rows - 1
        let cacheKeys = random.floats(length * stride, scale: 2).map { Float16($0) }
        let cacheValues = random.floats(length * stride).map { Float16($0) }
        let rowStride = heads * headDim + 8   // queries of other heads / padding between rows
        let queries = random.floats(rows * rowStride, scale: 2)
        let scale: Float = 0.3

        let widened = BlockedAttention.widenedCount(length: length, headDim: headDim)
        var keys = [Float](repeating: .nan, count: widened)
        var values = [Float](repeating: .nan, count: widened)
        var scratch = [Float](repeating: .nan, count: BlockedAttention.scratchCount(
            rows: rows, heads: heads, lastLength: length, headDim: headDim))
        var out = [Float](repeating: 0, count: rows * rowStride)
        var single = [Float](repeating: 0, count: rows * rowStride)
        cacheKeys.withUnsafeBufferPointer { k in
            cacheValues.withUnsafeBufferPointer { v in
                queries.withUnsafeBufferPointer { q in
                    single.withUnsafeMutableBufferPointer { o in
                        guard let k = k.baseAddress, let v = v.baseAddress, let q = q.baseAddress,
                              let o = o.baseAddress else { return }
                        // Two calls, as the forward pass splits the widening into chunks of positions.
                        for part in [0..<length / 2, length / 2..<length] {
                            BlockedAttention.widen(
                                keys: k + kvHead * headDim, values: v + kvHead * headDim, rowStride: stride,
                                headDim: headDim, positions: part, widenedKeys: &keys, widenedValues: &values)
                        }
                        var scores = [Float](repeating: 0, count: length)
                        for r in 0..<rows {
                            for h in 0..<heads {
                                let offset = r * rowStride + h * headDim
                                Attention.head(
                                    query: q + offset, keys: k + kvHead * headDim, values: v + kvHead * headDim,
                                    rowStride: stride, length: firstLength + r, headDim: headDim, scale: scale,
                                    scores: &scores, out: o + offset)
                            }
                        }
                    }
                }
            }
        }
        BlockedAttention.tile(
            queries: queries, rows: rows, heads: heads, rowStride: rowStride, firstLength: firstLength,
            widenedKeys: keys, widenedValues: values, headDim: headDim, scale: scale, scratch: &scratch, out: &out)
        #expect(out == single)

        let cacheRows = { (m: [Float16], count: Int) in
            (0..<count).map { j in Array(m[(j * stride + kvHead * headDim)..<(j * stride + (kvHead + 1) * headDim)]) }
        }
        for r in 0..<rows {
            for h in 0..<heads {
                let offset = r * rowStride + h * headDim
                let query = Array(queries[offset..<(offset + headDim)])
                let expected = Attention.reference(
                    query: query, keys: cacheRows(cacheKeys, firstLength + r),
                    values: cacheRows(cacheValues, firstLength + r), scale: scale)
                let got = Array(out[offset..<(offset + headDim)])
                #expect(maxAbsDifference(got, expected) < 1e-4, "row \(r) head \(h)")
            }
        }
        // The padding between rows is not written.
        #expect(out[heads * headDim] == 0)
    }

    /// The platform's eight-at-a-time scores equal the one-key portable twin bit for bit, from
    /// half and from float keys, and the twin is a dot product.
    @Test(arguments: [8, 24, 64, 128])
    func scoresEqualTheOneKeyTwin(headDim: Int) {
        var random = TestRandom(seed: UInt64(headDim))
        let count = 21
        let stride = headDim + 8
        let query = random.floats(headDim, scale: 2)
        let halves = random.floats(count * stride, scale: 3).map { Float16($0) }
        let floats = halves.map { Float($0) }
        var fromHalves = [Float](repeating: 0, count: count)
        var fromFloats = [Float](repeating: 0, count: count)
        AttentionDots.scores(query: query, keys: halves, rowStride: stride, count: count, headDim: headDim,
                             scale: 0.7, into: &fromHalves)
        AttentionDots.scores(query: query, keys: floats, rowStride: stride, count: count, headDim: headDim,
                             scale: 0.7, into: &fromFloats)
        #expect(fromHalves == fromFloats)
        for j in 0..<count {
            let twin = halves.withUnsafeBufferPointer { k in
                AttentionDots.score(query: query, key: k.baseAddress! + j * stride, headDim: headDim) * 0.7
            }
            #expect(fromHalves[j] == twin, "key \(j)")
            let exact = (0..<headDim).reduce(0.0) { $0 + Double(query[$1]) * Double(floats[j * stride + $1]) } * 0.7
            #expect(abs(Double(twin) - exact) < 1e-4, "key \(j)")
        }
    }

    @Test func scheduleTilesLongRunsAndLeavesOtherRowsToHeads() {
        let a = SequenceID(rawValue: 0)
        let b = SequenceID(rawValue: 1)
        var rows = (0..<10).map { TokenRow(sequence: a, position: 5 + $0, token: 1) }  // a run of 10
        rows.append(TokenRow(sequence: b, position: 3, token: 1))                    // b starts
        rows += (0..<8).map { TokenRow(sequence: b, position: 4 + $0, token: 1) }       // and continues: one run of 9
        rows += (0..<3).map { TokenRow(sequence: a, position: 40 + $0, token: 1) }      // too short
        let schedule = AttentionSchedule(batch: TokenBatch(rows: rows, logitRows: []), headDim: 64)
        #expect(schedule.runs.map(\.firstRow) == [0, 10])
        #expect(schedule.runs.map(\.rows) == [10, 9])
        #expect(schedule.runs.map(\.length) == [15, 12])
        #expect(schedule.singleRows == [19, 20, 21])
        #expect(schedule.longestSingle == 43)

        let odd = AttentionSchedule(batch: TokenBatch(rows: Array(rows[0..<10]), logitRows: []), headDim: 24)
        #expect(odd.runs.isEmpty)
        #expect(odd.singleRows == Array(0..<10))
    }
}
