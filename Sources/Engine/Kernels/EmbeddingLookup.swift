import Formats

extension WeightMatrix {
    /// Dequantises row `index` (a token's embedding) into `output[0..<cols]`.
    public func embeddingRow(_ index: Int, into output: UnsafeMutablePointer<Float>) throws(TensorError) {
        guard (0..<rows).contains(index) else { throw .rowOutOfRange(tensor: name, row: index, rows: rows) }
        let row = rowPointer(index)
        for b in 0..<(cols / type.blockSize) {
            type.dequantizeBlockReference(row + b * type.bytesPerBlock, into: output + b * type.blockSize)
        }
    }

    /// Row `index` as an array.
    public func embeddingRow(_ index: Int) throws(TensorError) -> [Float] {
        var out = [Float](repeating: 0, count: cols)
        try out.withUnsafeMutableBufferPointer { (buffer) throws(TensorError) in
            if let base = buffer.baseAddress { try embeddingRow(index, into: base) }
        }
        return out
    }
}
