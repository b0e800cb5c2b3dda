import Formats

extension GGMLType {
    /// Scalar reference dequantisation of whole blocks: `row` must hold a whole number of
    /// blocks; returns `row.count / bytesPerBlock * blockSize` floats. The obvious twin of
    /// every fast kernel, and bitwise equal to Python `gguf.quants.dequantize`.
    public func dequantizeReference(row: UnsafeRawBufferPointer) throws(TensorError) -> [Float] {
        guard row.count % bytesPerBlock == 0 else {
            throw .notWholeBlocks(type: self, byteCount: row.count)
        }
        let blocks = row.count / bytesPerBlock
        guard blocks > 0, let base = row.baseAddress else { return [] }
        var out = [Float](repeating: 0, count: blocks * blockSize)
        out.withUnsafeMutableBufferPointer { y in
            guard let destination = y.baseAddress else { return }
            for b in 0..<blocks {
                dequantizeBlockReference(base + b * bytesPerBlock, into: destination + b * blockSize)
            }
        }
        return out
    }

    /// Reference dequantisation of one block at `block` into `y[0..<blockSize]`.
    public func dequantizeBlockReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            y[0] = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
        case .f16:
            y[0] = HalfFloat.float(fromBits: UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
        case .bf16:
            y[0] = HalfFloat.float(fromBFloat16Bits: UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
        case .q4_0: Q4_0Block.dequantizeReference(block, into: y)
        case .q4_1: Q4_1Block.dequantizeReference(block, into: y)
        case .q5_0: Q5_0Block.dequantizeReference(block, into: y)
        case .q8_0: Q8_0Block.dequantizeReference(block, into: y)
        case .q4_K: Q4_KBlock.dequantizeReference(block, into: y)
        case .q5_K: Q5_KBlock.dequantizeReference(block, into: y)
        case .q6_K: Q6_KBlock.dequantizeReference(block, into: y)
        }
    }
}
