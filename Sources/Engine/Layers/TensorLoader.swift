import Formats

/// Loads an architecture's tensors by name with shape checks and remembers which ones were
/// used, so a file holding a tensor no layer reads is refused by name.
struct TensorLoader {
    let file: GGUFFile
    private var used: Set<String> = []
    /// Weight bytes one token's forward pass reads: every matmul matrix, one row of a lookup table.
    private(set) var bytesPerToken = 0

    init(file: GGUFFile) { self.file = file }

    func has(_ name: String) -> Bool { file.tensorIfPresent(name) != nil }

    mutating func markUsed(_ name: String) { used.insert(name) }

    /// A linear map `rows x cols`, stored by GGUF as `[cols, rows]`; `forMatmul: false` for a
    /// table only read a row at a time (see `WeightMatrix.init(file:name:forMatmul:)`).
    mutating func matrix(_ name: String, rows: Int, cols: Int, forMatmul: Bool = true) throws(ModelError) -> WeightMatrix {
        guard let info = file.tensorIfPresent(name) else { throw .missingTensor(name) }
        guard info.dimensions == [cols, rows] else {
            throw .shapeMismatch(tensor: name, expected: [cols, rows], actual: info.dimensions)
        }
        used.insert(name)
        let matrix: WeightMatrix
        do { matrix = try WeightMatrix(file: file, name: name, forMatmul: forMatmul) } catch { throw .tensor(error) }
        bytesPerToken += forMatmul ? matrix.matmulByteCount : matrix.rowByteCount
        return matrix
    }

    /// A vector of `count` values (norm weights, biases), dequantised to floats.
    mutating func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        guard let info = file.tensorIfPresent(name) else { throw .missingTensor(name) }
        guard info.dimensions == [count] else {
            throw .shapeMismatch(tensor: name, expected: [count], actual: info.dimensions)
        }
        used.insert(name)
        do throws(TensorError) {
            let values = try WeightMatrix(file: file, name: name).dequantizedRowReference(0)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.nonFinite(index: bad)
            }
            return values
        } catch { throw .tensor(error) }
    }

    func checkAllUsed() throws(ModelError) {
        if let extra = file.tensors.first(where: { !used.contains($0.name) }) {
            throw .unexpectedTensor(extra.name)
        }
    }
}
