import Formats

/// Loads an architecture's tensors by name with shape checks and remembers which ones were
/// used, so a source holding a tensor no layer reads is refused by name. The one path from a
/// `TensorSource` (a GGUF file, a Hugging Face checkpoint) to the engine's matrices; with a
/// `LoadQuantizer`, float matrices are quantized on their way.
struct TensorLoader {
    let source: any TensorSource
    let quantizer: LoadQuantizer?
    private var used: Set<String> = []
    /// Weight bytes one token's forward pass reads: every matmul matrix, one row of a lookup table.
    private(set) var bytesPerToken = 0

    init(source: any TensorSource, quantizer: LoadQuantizer? = nil) {
        self.source = source
        self.quantizer = quantizer
    }

    /// The GGUF file the model comes from, for what only GGUF metadata states (Gemma 3's window).
    var ggufFile: GGUFFile? { source as? GGUFFile }

    func has(_ name: String) -> Bool { source.sourceTensor(name) != nil }

    mutating func markUsed(_ name: String) { used.insert(name) }

    /// A linear map `rows x cols`, stored by GGUF as `[cols, rows]`; `forMatmul: false` for a
    /// table only read a row at a time (see `WeightMatrix.init(source:name:forMatmul:)`).
    mutating func matrix(_ name: String, rows: Int, cols: Int, forMatmul: Bool = true) throws(ModelError) -> WeightMatrix {
        guard let tensor = source.sourceTensor(name) else { throw .missingTensor(name) }
        guard tensor.dimensions == [cols, rows] else {
            throw .shapeMismatch(tensor: name, expected: [cols, rows], actual: tensor.dimensions)
        }
        used.insert(name)
        let matrix: WeightMatrix
        if let quantizer, let quantized = try quantizer.quantize(tensor, from: source, forMatmul: forMatmul) {
            matrix = quantized
            source.releaseResidentPages(of: name)
        } else {
            do { matrix = try WeightMatrix(source: source, name: name, forMatmul: forMatmul) } catch { throw .tensor(error) }
        }
        bytesPerToken += forMatmul ? matrix.matmulByteCount : matrix.rowByteCount
        return matrix
    }

    /// A vector of `count` values (norm weights, biases), dequantised to floats.
    mutating func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        guard let tensor = source.sourceTensor(name) else { throw .missingTensor(name) }
        guard tensor.dimensions == [count] else {
            throw .shapeMismatch(tensor: name, expected: [count], actual: tensor.dimensions)
        }
        used.insert(name)
        do throws(TensorError) {
            let values = try WeightMatrix(source: source, name: name).dequantizedRowReference(0)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.nonFinite(index: bad)
            }
            return values
        } catch { throw .tensor(error) }
    }

    func checkAllUsed() throws(ModelError) {
        if let extra = source.tensorNames.first(where: { !used.contains($0) }) {
            throw .unexpectedTensor(extra)
        }
    }
}
