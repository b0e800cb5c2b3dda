/// ggml's `quantize_row_q4_K_ref`: the Q4_K encoding llama.cpp writes for a row without an
/// importance matrix, step for step (same float operations, same rounding), so a checkpoint
/// quantized at load holds what `llama-quantize` would write for it.
///
/// Per 32-weight sub-block: weights `w = rms(x) + |x|`, then `make_qkx2_quants` searches 21 scales
/// for the (scale, min) pair of least weighted squared error; the 8 scales and 8 mins are then
/// quantized to 6 bits against the super-block's largest (d, dmin as f16) and every weight
/// re-rounded to 0...15 with the scale it will be read with.
enum Q4_KQuantization {
    static let subBlocks = 8

    /// Appends the 144-byte block of the 256 values at `x`.
    static func appendBlock(_ x: UnsafePointer<Float>, to out: inout [UInt8]) {
        var levels = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: subBlocks)
        var mins = [Float](repeating: 0, count: subBlocks)
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<subBlocks {
            let sub = x + 32 * j
            var sumSquares: Float = 0
            for l in 0..<32 { sumSquares += sub[l] * sub[l] }
            let average = (sumSquares / 32).squareRoot()
            var weights = [Float](repeating: 0, count: 32)
            for l in 0..<32 { weights[l] = average + abs(sub[l]) }
            let (scale, negatedMin, subLevels) = fitScaleAndMin(sub, weights: weights)
            for l in 0..<32 { levels[32 * j + l] = subLevels[l] }
            scales[j] = scale
            mins[j] = negatedMin
            if scale > maxScale { maxScale = scale }
            if negatedMin > maxMin { maxMin = negatedMin }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<subBlocks {
            // ggml keeps nearest_int's low byte (a uint8_t) before clamping to 63.
            let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseScale * scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseMin * mins[j])))
            if j < 4 {
                packed[j] = ls
                packed[j + 4] = lm
            } else {
                packed[j + 4] = (ls & 0x0F) | ((lm & 0x0F) << 4)
                packed[j - 4] |= (ls >> 4) << 6
                packed[j] |= (lm >> 4) << 6
            }
        }
        let dBits = HalfFloat.bits(from: maxScale / 63), dminBits = HalfFloat.bits(from: maxMin / 63)
        let d = HalfFloat.float(fromBits: dBits), dmin = HalfFloat.float(fromBits: dminBits)
        packed.withUnsafeBytes { scaleBytes in
            for j in 0..<subBlocks {
                let (sc, m) = KQuantScales.scaleAndMin(j, scaleBytes.baseAddress!)
                let subD = d * Float(sc)
                if subD == 0 { continue }
                let subMin = dmin * Float(m)
                for l in 0..<32 {
                    levels[32 * j + l] = UInt8(max(0, min(15, nearestInt((x[32 * j + l] + subMin) / subD))))
                }
            }
        }
        withUnsafeBytes(of: dBits.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: dminBits.littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: packed)
        for start in stride(from: 0, to: 256, by: 64) {
            for l in 0..<32 { out.append(levels[start + l] | (levels[start + l + 32] << 4)) }
        }
    }

    /// ggml's `make_qkx2_quants(32, 15, x, weights, L, &the_min, Laux, -1, 0.1, 20, false)`: the
    /// scale, the negated minimum (>= 0) and the levels 0...15 of one sub-block.
    static func fitScaleAndMin(_ x: UnsafePointer<Float>, weights: [Float]) -> (scale: Float, negatedMin: Float, levels: [UInt8]) {
        let n = 32, levelMax = 15
        let (rangeStart, rangeStep, steps): (Float, Float, Int) = (-1, 0.1, 20)
        var low = x[0], high = x[0]
        var sumW = weights[0], sumX = weights[0] * x[0]
        for i in 1..<n {
            if x[i] < low { low = x[i] }
            if x[i] > high { high = x[i] }
            sumW += weights[i]
            sumX += weights[i] * x[i]
        }
        if low > 0 { low = 0 }
        var levels = [UInt8](repeating: 0, count: n)
        if high == low { return (0, -low, levels) }
        var inverse = Float(levelMax) / (high - low)
        var scale = 1 / inverse
        var bestError: Float = 0
        for i in 0..<n {
            let l = max(0, min(levelMax, nearestInt(inverse * (x[i] - low))))
            levels[i] = UInt8(l)
            let diff = scale * Float(l) + low - x[i]
            bestError += weights[i] * (diff * diff)
        }
        var trial = [UInt8](repeating: 0, count: n)
        for step in 0...steps {
            // ggml's `min` moves to each better candidate's, and later steps start from it.
            inverse = (rangeStart + rangeStep * Float(step) + Float(levelMax)) / (high - low)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = max(0, min(levelMax, nearestInt(inverse * (x[i] - low))))
                trial[i] = UInt8(l)
                let w = weights[i], fl = Float(l)
                sumL += w * fl
                sumL2 += w * fl * fl
                sumXL += w * fl * x[i]
            }
            let determinant = sumW * sumL2 - sumL * sumL
            guard determinant > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / determinant
            var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(trial[i]) + thisMin - x[i]
                error += weights[i] * (diff * diff)
            }
            if error < bestError {
                levels = trial
                bestError = error
                scale = thisScale
                low = thisMin
            }
        }
        return (scale, -low, levels)
    }

    /// ggml's `nearest_int`, its float trick spelled out: adding 1.5 * 2^23 leaves x rounded half
    /// to even in the low 22 mantissa bits, for |x| < 2^22. Past that, and for NaN and infinities
    /// (which huge or tiny blocks make: a scale that overflows f16, an inverse of a subnormal),
    /// the same bits give ggml's answer where rounding would trap.
    static func nearestInt(_ x: Float) -> Int { Int((x + 12_582_912).bitPattern & 0x007F_FFFF) - 0x0040_0000 }
}
