/// Input vectors quantised to 8 bits in blocks of 32, once per matmul, so every weight row is
/// dotted with integer multiplies (llama.cpp's Q8_1 idea): for block b of a vector,
/// `x[32b + j] ~ scales[b] * qs[32b + j]` and `sums[b] = scales[b] * sum_j qs[32b + j]`.
///
/// Storage (struct of arrays, one allocation): `qs` `[batch][cols]` Int8, `scales` and `sums`
/// `[batch][cols / 32]` Float.
struct QuantizedActivations: ~Copyable {
    static let blockSize = 32

    let batch: Int
    let cols: Int
    let blocksPerVector: Int
    let qs: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    private let storage: UnsafeMutableRawPointer

    /// Space for `batch` vectors of `cols` values (`cols` a multiple of 32).
    init(batch: Int, cols: Int) {
        self.batch = batch
        self.cols = cols
        blocksPerVector = cols / Self.blockSize
        let quantBytes = (batch * cols + 63) / 64 * 64
        let floatBytes = batch * blocksPerVector * MemoryLayout<Float>.stride
        storage = UnsafeMutableRawPointer.allocate(byteCount: quantBytes + 2 * floatBytes + 64, alignment: 64)
        qs = storage.bindMemory(to: Int8.self, capacity: batch * cols)
        scales = (storage + quantBytes).bindMemory(to: Float.self, capacity: batch * blocksPerVector)
        sums = (storage + quantBytes + floatBytes).bindMemory(to: Float.self, capacity: batch * blocksPerVector)
    }

    deinit { storage.deallocate() }

    /// Quantises vector `v` of `input` (`[batch][cols]` floats) into slot `v`.
    func quantize(vector v: Int, from input: UnsafePointer<Float>) {
        let x = input + v * cols
        let q = qs + v * cols
        for b in 0..<blocksPerVector {
            Self.quantizeBlock(x + 32 * b, into: q + 32 * b,
                               scale: scales + v * blocksPerVector + b, sum: sums + v * blocksPerVector + b)
        }
    }

    /// One block: d = max|x| / 127, q = round(x / d) (ties away from zero, as ggml's Q8_0).
    @inline(__always)
    static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>,
                              scale: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>) {
        #if arch(x86_64) && os(Linux)
        AVX2.quantizeBlock(x, into: q, scale: scale, sum: sum)
        #else
        quantizeBlockPortable(x, into: q, scale: scale, sum: sum)
        #endif
    }

    /// `quantizeBlock` one value at a time: the twin of the platform version.
    @inline(__always)
    static func quantizeBlockPortable(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>,
                              scale: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(x)
        var amax = SIMD8<Float>()
        for k in 0..<4 {
            let v = raw.loadUnaligned(fromByteOffset: 32 * k, as: SIMD8<Float>.self)
            amax.replace(with: v, where: v .> amax)
            amax.replace(with: -v, where: -v .> amax)
        }
        let d = amax.max() / 127
        let inverse: Float = d != 0 ? 1 / d : 0
        var total: Int32 = 0
        for j in 0..<32 {
            // NaN or infinite inputs must not trap the conversion; they give 0 or +-127.
            let scaled = (x[j] * inverse).rounded()
            let clamped: Float = scaled.isNaN ? 0 : Swift.max(-127, Swift.min(127, scaled))
            let rounded = Int32(clamped)
            q[j] = Int8(truncatingIfNeeded: rounded)
            total &+= rounded
        }
        scale.pointee = d
        sum.pointee = d * Float(total)
    }

    /// The quantised values of vector `v` as a 32-byte-block pointer.
    func vector(_ v: Int) -> (qs: UnsafeRawPointer, scales: UnsafePointer<Float>, sums: UnsafePointer<Float>) {
        (UnsafeRawPointer(qs + v * cols), UnsafePointer(scales + v * blocksPerVector),
         UnsafePointer(sums + v * blocksPerVector))
    }
}
