import Formats

extension WeightMatrix {
    /// The obvious twin of `matmul`: dequantise each row with the scalar reference and dot it
    /// with the unquantised input in Double. Input `[batch][cols]`, output `[batch][rows]`.
    public func matmulReference(_ input: [Float], batch: Int = 1) throws(TensorError) -> [Float] {
        guard batch > 0, input.count == batch * cols else {
            throw .sizeMismatch("matmul of '\(name)' [\(cols) -> \(rows)] got \(input.count) inputs for batch \(batch)")
        }
        var output = [Float](repeating: 0, count: batch * rows)
        for r in 0..<rows {
            let w = try dequantizedRowReference(r)
            for v in 0..<batch {
                var sum = 0.0
                for c in 0..<cols { sum += Double(w[c]) * Double(input[v * cols + c]) }
                output[v * rows + r] = Float(sum)
            }
        }
        return output
    }
}
