import Formats

extension GGMLType {
    /// Scalar reference quantisation of `values` (a whole number of blocks) into this type's
    /// encoding, rounding as ggml's `quantize_row_*_ref` does. Used to build weights for tests
    /// and tiny models; K-quants are not produced here (tests use random K-quant blocks).
    public func quantizeReference(_ values: [Float]) throws(TensorError) -> [UInt8] {
        guard values.count % blockSize == 0 else {
            throw .elementCountNotBlockMultiple(type: self, count: values.count)
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(index: index)
        }
        var out: [UInt8] = []
        out.reserveCapacity(values.count / blockSize * bytesPerBlock)
        switch self {
        case .f32:
            for v in values { Self.append(v.bitPattern, to: &out) }
        case .f16:
            for v in values { Self.append(HalfFloat.bits(from: v), to: &out) }
        case .bf16:
            for v in values { Self.append(HalfFloat.bfloat16Bits(from: v), to: &out) }
        case .q8_0:
            for start in stride(from: 0, to: values.count, by: 32) {
                Self.appendQ8_0(values[start..<(start + 32)], to: &out)
            }
        case .q4_0:
            for start in stride(from: 0, to: values.count, by: 32) {
                Self.appendQ4_0(values[start..<(start + 32)], to: &out)
            }
        case .q4_1:
            for start in stride(from: 0, to: values.count, by: 32) {
                Self.appendQ4_1(values[start..<(start + 32)], to: &out)
            }
        case .q4_K:
            values.withUnsafeBufferPointer { x in
                for start in stride(from: 0, to: values.count, by: 256) { Q4_KQuantization.appendBlock(x.baseAddress! + start, to: &out) }
            }
        case .q5_0, .q5_K, .q6_K:
            throw .unsupportedType(type: self, operation: "reference quantisation")
        }
        return out
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// d = max|x| / 127, q = x / d rounded half away from zero. Where 1/d overflows (max|x| below
    /// about 4e-37, whose d is 0 in f16 anyway) x / d is not a code and ggml's conversion of it is
    /// undefined; x86 ggml writes 0, and so does this.
    private static func appendQ8_0(_ x: ArraySlice<Float>, to out: inout [UInt8]) {
        let amax = x.reduce(Float(0)) { max($0, abs($1)) }
        let d = amax / 127
        let inverse: Float = d != 0 ? 1 / d : 0
        append(HalfFloat.bits(from: d), to: &out)
        for v in x {
            let code = (v * inverse).rounded()
            out.append(UInt8(bitPattern: abs(code) <= 127 ? Int8(code) : 0))
        }
    }

    /// d = (value of largest magnitude) / -8, q = min(15, trunc(x / d + 8.5)).
    private static func appendQ4_0(_ x: ArraySlice<Float>, to out: inout [UInt8]) {
        var amax: Float = 0
        var signedMax: Float = 0
        for v in x where abs(v) > amax {
            amax = abs(v)
            signedMax = v
        }
        let d = signedMax / -8
        let inverse: Float = d != 0 ? 1 / d : 0
        append(HalfFloat.bits(from: d), to: &out)
        let q = x.map { UInt8(min(15, Int8(($0 * inverse + 8.5).rounded(.towardZero)))) }
        for j in 0..<16 { out.append(q[j] | (q[j + 16] << 4)) }
    }

    /// d = (max - min) / 15, m = min, q = min(15, trunc((x - min) / d + 0.5)).
    private static func appendQ4_1(_ x: ArraySlice<Float>, to out: inout [UInt8]) {
        let lo = x.min() ?? 0
        let hi = x.max() ?? 0
        let d = (hi - lo) / 15
        let inverse: Float = d != 0 ? 1 / d : 0
        append(HalfFloat.bits(from: d), to: &out)
        append(HalfFloat.bits(from: lo), to: &out)
        let q = x.map { UInt8(min(15, Int8((($0 - lo) * inverse + 0.5).rounded(.towardZero)))) }
        for j in 0..<16 { out.append(q[j] | (q[j + 16] << 4)) }
    }
}
