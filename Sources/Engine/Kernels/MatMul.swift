import Formats

extension WeightMatrix {
    /// `output[v][r] = sum_c W[r][c] * input[v][c]` for every vector `v < batch`:
    /// input `[batch][cols]`, output `[batch][rows]`, both row-major and not overlapping.
    ///
    /// Quantised types quantise the input to 8-bit blocks once and use integer dot products
    /// (error bounded by the activation quantisation, see `matmulReference`); float types dot in
    /// f32. Work is split over row tiles (and vector tiles for a batch) on `pool`.
    public func matmul(_ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>,
                       pool: ThreadPool = .shared) {
        guard batch > 0 else { return }
        switch type {
        case .f32:
            floatMatmul(input, batch: batch, output: output, pool: pool, DotFloats.f32)
        case .f16, .bf16:
            let permuted = UnsafeMutablePointer<Float>.allocate(capacity: batch * cols)
            defer { permuted.deallocate() }
            for v in 0..<batch { DotFloats.permute(input + v * cols, count: cols, into: permuted + v * cols) }
            if type == .f16 {
                floatMatmul(permuted, batch: batch, output: output, pool: pool, DotFloats.f16)
            } else {
                floatMatmul(permuted, batch: batch, output: output, pool: pool, DotFloats.bf16)
            }
        case .q4_0: int8Matmul(Q4_0Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q4_1: int8Matmul(Q4_1Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q8_0: int8Matmul(Q8_0Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q4_K: int8Matmul(Q4_KKernel.self, input, batch: batch, output: output, pool: pool)
        case .q5_K: int8Matmul(Q5_KKernel.self, input, batch: batch, output: output, pool: pool)
        case .q6_K: int8Matmul(Q6_KKernel.self, input, batch: batch, output: output, pool: pool)
        }
    }

    /// `matmul` over arrays: `input.count` must be `batch * cols`; returns `batch * rows` values.
    public func matmul(_ input: [Float], batch: Int = 1, pool: ThreadPool = .shared) throws(TensorError) -> [Float] {
        guard batch > 0, input.count == batch * cols else {
            throw .sizeMismatch("matmul of '\(name)' [\(cols) -> \(rows)] got \(input.count) inputs for batch \(batch)")
        }
        var output = [Float](repeating: 0, count: batch * rows)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                if let xBase = x.baseAddress, let yBase = y.baseAddress {
                    matmul(xBase, batch: batch, into: yBase, pool: pool)
                }
            }
        }
        return output
    }

    @inline(__always)
    private func floatMatmul(_ input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
                             pool: ThreadPool, _ dot: (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float) {
        forEachTile(batch: batch, pool: pool) { rowStart, rowEnd, v in
            for r in rowStart..<rowEnd {
                output[v * rows + r] = dot(rowPointer(r), input + v * cols, cols)
            }
        }
    }

    @inline(__always)
    private func int8Matmul<K: Int8BlockKernel>(_ kernel: K.Type, _ input: UnsafePointer<Float>, batch: Int,
                                                output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let activations = QuantizedActivations(batch: batch, cols: cols)
        if batch >= 4 * pool.threadCount {
            pool.parallelFor(batch) { activations.quantize(vector: $0, from: input) }
        } else {
            for v in 0..<batch { activations.quantize(vector: v, from: input) }
        }
        let blocks = cols / 32
        let (qs, scales, sums) = (UnsafeRawPointer(activations.qs), activations.scales, activations.sums)
        let stride = rowByteCount
        forEachTile(batch: batch, pool: pool) { rowStart, rowEnd, v in
            let a = qs + v * cols
            let vectorScales = UnsafePointer(scales + v * blocks)
            let vectorSums = UnsafePointer(sums + v * blocks)
            let out = output + v * rows
            var r = rowStart
            while r + 4 <= rowEnd {
                let y = Int8RowDots.fourRows(K.self, rowPointer(r), stride: stride, a, vectorScales, vectorSums,
                                             blocks: blocks)
                out[r] = y[0]
                out[r + 1] = y[1]
                out[r + 2] = y[2]
                out[r + 3] = y[3]
                r += 4
            }
            while r < rowEnd {
                out[r] = Int8RowDots.oneRow(K.self, rowPointer(r), a, vectorScales, vectorSums, blocks: blocks)
                r += 1
            }
        }
    }

    /// Calls `body(rowStart, rowEnd, vector)` over all rows and vectors in tiles on the pool:
    /// rows split so each thread gets several tiles (load balance), in multiples of 4 rows;
    /// vectors in groups of 32, so a tile's activations stay in cache while its rows are reused.
    @inline(__always)
    private func forEachTile(batch: Int, pool: ThreadPool, _ body: (Int, Int, Int) -> Void) {
        let vectorTile = 32
        let vectorTiles = (batch + vectorTile - 1) / vectorTile
        let wanted = max(1, 4 * pool.threadCount / vectorTiles)
        let rowTile = max(4, ((rows + wanted - 1) / wanted + 3) / 4 * 4)
        let rowTiles = (rows + rowTile - 1) / rowTile
        pool.parallelFor(rowTiles * vectorTiles) { task in
            let rowStart = (task % rowTiles) * rowTile
            let rowEnd = min(rows, rowStart + rowTile)
            let vectorStart = (task / rowTiles) * vectorTile
            for v in vectorStart..<min(batch, vectorStart + vectorTile) {
                body(rowStart, rowEnd, v)
            }
        }
    }
}
