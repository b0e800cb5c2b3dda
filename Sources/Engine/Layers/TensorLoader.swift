import Formats

/// Loads an architecture's tensors by name with shape checks and remembers which ones were
/// used, so a file holding a tensor no layer reads is refused by name.
struct TensorLoader {
    let file: GGUFFile
    private var used: Set<String> = []

    init(file: GGUFFile) { self.file = file }

    func has(_ name: String) -> Bool { file.tensorIfPresent(name) != nil }

    mutating func markUsed(_ name: String) { used.insert(name) }

    /// A linear map `rows x cols`, stored by GGUF as `[cols, rows]`.
    mutating func matrix(_ name: String, rows: Int, cols: Int) throws(ModelError) -> WeightMatrix {
        guard let info = file.tensorIfPresent(name) else { throw .missingTensor(name) }
        guard info.dimensions == [cols, rows] else {
            throw .shapeMismatch(tensor: name, expected: [cols, rows], actual: info.dimensions)
        }
        used.insert(name)
        do { return try WeightMatrix(file: file, name: name) } catch { throw .tensor(error) }
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
