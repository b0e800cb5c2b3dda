import CPUKernels

/// Input vectors quantised for the K-quant kernels (llama.cpp's Q8_K idea): one scale per 256
/// values, so a K-quant super-block's sub-block scales apply in integers and only one
/// conversion and multiply-add per 256 weights remain; the code sum of every 16 values
/// (`bsums`) carries the Q4_K mins and the Q6_K offset; `offsets`, the same sums times -32 as
/// Int32, let the 512-bit Q6_K kernel start each 16-value dot product at its offset (a
/// broadcast load in place of a multiply per sub-block and vector). For super-block s of a
/// vector, `x[256s + j] ~ d[s] * qs[256s + j]`.
///
/// Storage (one allocation): `qs` `[batch][cols]` Int8, `d` `[batch][cols / 256]` Float,
/// `bsums` `[batch][cols / 16]` Int16, `offsets` `[batch][cols / 16]` Int32.
struct KBlockActivations: ~Copyable {
    static let blockSize = 256

    let batch: Int
    let cols: Int
    let qs: UnsafeMutablePointer<Int8>
    let d: UnsafeMutablePointer<Float>
    let bsums: UnsafeMutablePointer<Int16>
    let offsets: UnsafeMutablePointer<Int32>
    private let storage: UnsafeMutableRawPointer

    /// Space for `batch` vectors of `cols` values (`cols` a multiple of 256).
    init(batch: Int, cols: Int) {
        precondition(cols % Self.blockSize == 0, "K8 activations need a multiple of 256 values")
        self.batch = batch
        self.cols = cols
        let quantBytes = (batch * cols + 63) / 64 * 64
        let scaleBytes = (batch * cols / Self.blockSize * 4 + 63) / 64 * 64
        let sumBytes = (batch * cols / 8 + 63) / 64 * 64
        storage = UnsafeMutableRawPointer.allocate(
            byteCount: quantBytes + scaleBytes + sumBytes + batch * cols / 4 + 64, alignment: 64)
        qs = storage.bindMemory(to: Int8.self, capacity: batch * cols)
        d = (storage + quantBytes).bindMemory(to: Float.self, capacity: batch * cols / Self.blockSize)
        bsums = (storage + quantBytes + scaleBytes).bindMemory(to: Int16.self, capacity: batch * cols / 16)
        offsets = (storage + quantBytes + scaleBytes + sumBytes).bindMemory(to: Int32.self, capacity: batch * cols / 16)
    }

    deinit { storage.deallocate() }

    /// The vectors as the C kernels take them.
    var vectors: genrm_k8_vectors {
        genrm_k8_vectors(qs: qs, d: d, bsums: bsums, offsets: offsets, cols: cols)
    }

    /// Quantises vector `v` of `input` (`[batch][cols]` floats) into slot `v`.
    func quantize(vector v: Int, from input: UnsafePointer<Float>) {
        #if arch(x86_64) && os(Linux)
        genrm_k8_quantize_avx2(input + v * cols, cols, qs + v * cols, d + v * cols / Self.blockSize, bsums + v * cols / 16)
        fillOffsets(vector: v)
        #else
        quantizePortable(vector: v, from: input)
        #endif
    }

    /// `offsets` of vector `v` from its `bsums`.
    private func fillOffsets(vector v: Int) {
        let base = v * cols / 16
        for b in base..<(base + cols / 16) { offsets[b] = -32 * Int32(bsums[b]) }
    }

    /// `quantize` one value at a time: the twin of the platform version. Per 256 values:
    /// d = max|x| / 127 (NaN ignored), q = x / d rounded to nearest even, clamped to
    /// [-127, 127], NaN to 0.
    func quantizePortable(vector v: Int, from input: UnsafePointer<Float>) {
        let x = input + v * cols, q = qs + v * cols
        for s in 0..<(cols / Self.blockSize) {
            let block = x + Self.blockSize * s
            var amax: Float = 0
            for j in 0..<Self.blockSize where abs(block[j]) > amax { amax = abs(block[j]) }
            let scale = amax / 127
            let inverse: Float = scale != 0 ? 1 / scale : 0
            d[v * cols / Self.blockSize + s] = scale
            for j in 0..<Self.blockSize {
                let scaled = block[j] * inverse
                let clamped: Float = scaled.isNaN ? 0 : Swift.max(-127, Swift.min(127, scaled))
                q[Self.blockSize * s + j] = Int8(clamped.rounded(.toNearestOrEven))
            }
        }
        for b in 0..<(cols / 16) {
            var sum: Int16 = 0
            for j in 0..<16 { sum += Int16(q[16 * b + j]) }
            bsums[v * cols / 16 + b] = sum
        }
        fillOffsets(vector: v)
    }
}
