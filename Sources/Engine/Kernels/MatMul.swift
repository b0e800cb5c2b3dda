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
        #if arch(x86_64) && os(Linux)
        case .q4_0: avx2Matmul(Q4_0AVX2.self, Q4_0Group.self, input, batch: batch, output: output, pool: pool)
        case .q4_1: avx2Matmul(Q4_1AVX2.self, Q4_1Group.self, input, batch: batch, output: output, pool: pool)
        case .q8_0: q8_0Matmul(input, batch: batch, into: output, pool: pool, isa: .selected)
        #else
        case .q4_0, .q4_1, .q8_0: matmulPortable(input, batch: batch, into: output, pool: pool)
        #endif
        #if arch(x86_64) && os(Linux)
        case .q4_K, .q5_K, .q6_K: kQuantMatmul(input, batch: batch, into: output, pool: pool, isa: .selected)
        #else
        case .q4_K, .q5_K, .q6_K: matmulPortable(input, batch: batch, into: output, pool: pool)
        #endif
        case .q5_0: preconditionFailure("Q5_0 matrices are held as Q8_0 (WeightMatrix.init)")
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

    /// The portable integer kernels (`Int8BlockKernel`) for the types that have a platform
    /// kernel, so tests can hold the two together; other types always run the portable path.
    func matmulPortable(_ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>,
                        pool: ThreadPool) {
        switch type {
        case .q4_0: int8Matmul(Q4_0Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q4_1: int8Matmul(Q4_1Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q5_0: preconditionFailure("Q5_0 matrices are held as Q8_0 (WeightMatrix.init)")
        case .q8_0: int8Matmul(Q8_0Kernel.self, input, batch: batch, output: output, pool: pool)
        case .q4_K: int8Matmul(Q4_KKernel.self, input, batch: batch, output: output, pool: pool)
        case .q5_K: int8Matmul(Q5_KKernel.self, input, batch: batch, output: output, pool: pool)
        case .q6_K: int8Matmul(Q6_KKernel.self, input, batch: batch, output: output, pool: pool)
        case .f32, .f16, .bf16: matmul(input, batch: batch, into: output, pool: pool)
        }
    }

    /// The input `[batch][cols]` quantised to 8-bit blocks, vectors spread over the pool for a
    /// large batch.
    func quantizedInput(_ input: UnsafePointer<Float>, batch: Int, pool: ThreadPool) -> QuantizedActivations {
        let activations = QuantizedActivations(batch: batch, cols: cols)
        if batch >= 4 * pool.threadCount {
            pool.parallelFor(batch) { activations.quantize(vector: $0, from: input) }
        } else {
            for v in 0..<batch { activations.quantize(vector: v, from: input) }
        }
        return activations
    }

    #if arch(x86_64) && os(Linux)
    /// Whole groups of 8 rows from the interleaved copy (`G`), remaining rows from the original
    /// layout (`K`); types without an interleaved copy (Q5_K) run `K` on every row, and their
    /// `G` is never called.
    @inline(__always)
    func avx2Matmul<K: AVX2BlockKernel, G: AVX2GroupKernel>(
        _ kernel: K.Type, _ groupKernel: G.Type, _ input: UnsafePointer<Float>, batch: Int,
        output: UnsafeMutablePointer<Float>, pool: ThreadPool
    ) {
        let activations = quantizedInput(input, batch: batch, pool: pool)
        let blocks = cols / 32
        let (qs, scales, sums) = (UnsafeRawPointer(activations.qs), activations.scales, activations.sums)
        let stride = rowByteCount
        let groupRows = InterleavedRows.rowsPerGroup * (interleaved?.groups ?? 0)
        let quads = ActivationQuads(activations)
        forEachTileRange(batch: batch, pool: pool) { rowStart, rowEnd, vectorStart, vectorEnd in
            var r = rowStart
            if let packed = interleaved {
                // Tiles start at multiples of 8, so r stays on group boundaries.
                while r + InterleavedRows.rowsPerGroup <= min(rowEnd, groupRows) {
                    let group = UnsafeRawPointer(packed.base + r / InterleavedRows.rowsPerGroup * packed.groupBytes)
                    var v = vectorStart
                    while v + 4 <= vectorEnd {
                        // Vector tiles start at multiples of 32, so v stays on groups of four.
                        let quad = quads.group(v / 4)
                        let (y0, y1, y2, y3) = G.dot4(group, quad.qs, quad.scales, quad.sums, blocks: blocks)
                        let out = UnsafeMutableRawPointer(output + v * rows + r)
                        out.storeBytes(of: y0, as: SIMD8<Float>.self)
                        out.storeBytes(of: y1, toByteOffset: 4 * rows, as: SIMD8<Float>.self)
                        out.storeBytes(of: y2, toByteOffset: 8 * rows, as: SIMD8<Float>.self)
                        out.storeBytes(of: y3, toByteOffset: 12 * rows, as: SIMD8<Float>.self)
                        v += 4
                    }
                    while v < vectorEnd {
                        let y = G.dot(group, qs + v * cols, scales + v * blocks, sums + v * blocks, blocks: blocks)
                        UnsafeMutableRawPointer(output + v * rows + r).storeBytes(of: y, as: SIMD8<Float>.self)
                        v += 1
                    }
                    r += InterleavedRows.rowsPerGroup
                }
            }
            let tailStart = r
            for v in vectorStart..<vectorEnd {
                let a = qs + v * cols
                let vectorScales = UnsafePointer(scales + v * blocks)
                let vectorSums = UnsafePointer(sums + v * blocks)
                let out = output + v * rows
                r = tailStart
                while r + 4 <= rowEnd {
                    let y = AVX2RowDots.fourRows(K.self, rowPointer(r), stride: stride, a, vectorScales, vectorSums,
                                                 blocks: blocks)
                    out[r] = y[0]
                    out[r + 1] = y[1]
                    out[r + 2] = y[2]
                    out[r + 3] = y[3]
                    r += 4
                }
                while r < rowEnd {
                    out[r] = AVX2RowDots.oneRow(K.self, rowPointer(r), a, vectorScales, vectorSums, blocks: blocks)
                    r += 1
                }
            }
        }
    }
    #endif

    @inline(__always)
    private func int8Matmul<K: Int8BlockKernel>(_ kernel: K.Type, _ input: UnsafePointer<Float>, batch: Int,
                                                output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let activations = quantizedInput(input, batch: batch, pool: pool)
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

    /// Calls `body(rowStart, rowEnd, vector)` for every vector of every tile of `forEachTileRange`.
    @inline(__always)
    private func forEachTile(batch: Int, pool: ThreadPool, _ body: (Int, Int, Int) -> Void) {
        forEachTileRange(batch: batch, pool: pool) { rowStart, rowEnd, vectorStart, vectorEnd in
            for v in vectorStart..<vectorEnd { body(rowStart, rowEnd, v) }
        }
    }

    /// Calls `body(rowStart, rowEnd, vectorStart, vectorEnd)` over all rows and vectors in tiles
    /// on the pool: rows split so each thread gets several tiles (load balance), in multiples of
    /// 8 rows (one interleaved group) and of at least 16 KiB of weights per vector (smaller
    /// tiles cost more to hand out than they take to compute); vectors in groups of 32, so a
    /// tile's activations stay in cache while its rows are reused.
    @inline(__always)
    func forEachTileRange(batch: Int, pool: ThreadPool, _ body: (Int, Int, Int, Int) -> Void) {
        let vectorTile = 32
        let vectorTiles = (batch + vectorTile - 1) / vectorTile
        let wanted = max(1, 4 * pool.threadCount / vectorTiles)
        let minimumRows = (16 << 10) / (rowByteCount * min(batch, vectorTile))
        let rowTile = max(8, minimumRows, ((rows + wanted - 1) / wanted + 7) / 8 * 8) / 8 * 8
        let rowTiles = (rows + rowTile - 1) / rowTile
        pool.parallelFor(rowTiles * vectorTiles) { task in
            let rowStart = (task % rowTiles) * rowTile
            let vectorStart = (task / rowTiles) * vectorTile
            body(rowStart, min(rows, rowStart + rowTile), vectorStart, min(batch, vectorStart + vectorTile))
        }
    }
}
