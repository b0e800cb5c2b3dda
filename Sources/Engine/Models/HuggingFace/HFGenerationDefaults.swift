import Foundation
import JSON

/// A checkpoint's `generation_config.json`: the sampling defaults its authors ship (temperature,
/// top_p, stop tokens, ...). genrm reports them (`genrm inspect`) and never applies them
/// silently: what a caller samples with is what the caller asks for.
public struct HFGenerationDefaults: Sendable, Equatable {
    public static let fileName = "generation_config.json"

    /// The file's fields in file order, without transformers' bookkeeping (`transformers_version`,
    /// `_from_model_config`).
    public let fields: JSONObject

    /// Reads `directory`'s generation_config.json; nil when it has none.
    public static func read(directory: String) throws(ModelError) -> HFGenerationDefaults? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let object = try HFConfigReader.readObject(path: path)
        let kept = object.entries.filter { !$0.key.hasPrefix("_") && $0.key != "transformers_version" }
        return HFGenerationDefaults(fields: JSONObject(kept.map { ($0.key, $0.value) }))
    }
}
