/// The Q4_K quantizer `--quantize q4_k` runs: `Q4_KQuantization`'s steps (ggml's
/// `quantize_row_q4_K_ref`) on a sub-block's 32 weights at once. Every per-weight operation is
/// the reference's, in the same order; only the sums over a sub-block are added in another
/// order, so a scale search can end on a neighbouring candidate where two are within rounding of
/// each other. Held to the reference by `Q4_KQuantizationTests` (the same bytes for nearly every
/// block, never a larger error). About five times as fast on AVX2.
enum Q4_KQuantizationSIMD {
    typealias Lanes = SIMD32<Float>

    /// Appends the 144-byte block of the 256 values at `x`.
    static func appendBlock(_ x: UnsafePointer<Float>, to out: inout [UInt8]) {
        var values = [Lanes](repeating: Lanes(), count: 8)
        var levels = [Lanes](repeating: Lanes(), count: 8)
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<8 {
            let sub = UnsafeRawPointer(x + 32 * j).loadUnaligned(as: Lanes.self)
            values[j] = sub
            let average = ((sub * sub).sum() / 32).squareRoot()
            let weights = Lanes(repeating: average) + sub.replacing(with: -sub, where: sub .< 0)
            let fit = fitScaleAndMin(sub, weights: weights)
            (scales[j], mins[j], levels[j]) = fit
            if fit.scale > maxScale { maxScale = fit.scale }
            if fit.negatedMin > maxMin { maxMin = fit.negatedMin }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            let ls = UInt8(min(63, Q4_KQuantization.nearestInt(inverseScale * scales[j])))
            let lm = UInt8(min(63, Q4_KQuantization.nearestInt(inverseMin * mins[j])))
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
            for j in 0..<8 {
                let (sc, m) = KQuantScales.scaleAndMin(j, scaleBytes.baseAddress!)
                let subD = d * Float(sc)
                if subD == 0 { continue }
                let subMin = dmin * Float(m)
                levels[j] = ((values[j] + Lanes(repeating: subMin)) / Lanes(repeating: subD))
                    .rounded(.toNearestOrEven).clamped(lowerBound: Lanes(repeating: 0), upperBound: Lanes(repeating: 15))
            }
        }
        withUnsafeBytes(of: dBits.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: dminBits.littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: packed)
        for pair in 0..<4 {
            let low = SIMD32<UInt8>(truncatingIfNeeded: SIMD32<Int32>(levels[2 * pair], rounding: .towardZero))
            let high = SIMD32<UInt8>(truncatingIfNeeded: SIMD32<Int32>(levels[2 * pair + 1], rounding: .towardZero))
            let bytes = low | (high &<< 4)
            for l in 0..<32 { out.append(bytes[l]) }
        }
    }

    /// `Q4_KQuantization.fitScaleAndMin` on 32 lanes; levels as whole floats 0...15.
    static func fitScaleAndMin(_ x: Lanes, weights w: Lanes) -> (scale: Float, negatedMin: Float, levels: Lanes) {
        let levelMax: Float = 15
        var low = x.min()
        let high = x.max()
        let sumW = w.sum(), sumX = (w * x).sum()
        if low > 0 { low = 0 }
        if high == low { return (0, -low, Lanes()) }
        func quantize(_ inverse: Float, _ low: Float) -> Lanes {
            (Lanes(repeating: inverse) * (x - Lanes(repeating: low))).rounded(.toNearestOrEven)
                .clamped(lowerBound: Lanes(repeating: 0), upperBound: Lanes(repeating: levelMax))
        }
        var inverse = levelMax / (high - low)
        var scale = 1 / inverse
        var levels = quantize(inverse, low)
        let first = Lanes(repeating: scale) * levels + Lanes(repeating: low) - x
        var bestError = (w * first * first).sum()
        for step in 0...20 {
            // As in ggml, each step starts from the best minimum found so far.
            inverse = (-1 + 0.1 * Float(step) + levelMax) / (high - low)
            let trial = quantize(inverse, low)
            let wl = w * trial
            let sumL = wl.sum(), sumL2 = (wl * trial).sum(), sumXL = (wl * x).sum()
            let determinant = sumW * sumL2 - sumL * sumL
            guard determinant > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / determinant
            var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            let diff = Lanes(repeating: thisScale) * trial + Lanes(repeating: thisMin) - x
            let error = (w * diff * diff).sum()
            if error < bestError {
                levels = trial
                bestError = error
                scale = thisScale
                low = thisMin
            }
        }
        return (scale, -low, levels)
    }
}
