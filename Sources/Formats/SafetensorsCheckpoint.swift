import Foundation
import JSON

/// The safetensors weights of a Hugging Face checkpoint directory: one `model.safetensors`, or
/// shards listed by `model.safetensors.index.json` (`{"weight_map": {"tensor": "shard file"}}`),
/// each memory-mapped and validated. With an index, every listed tensor must be in the shard the
/// index names and every shard's tensor must be listed, so a checkpoint whose files disagree is
/// refused with both names rather than loaded half.
///
/// `@unchecked Sendable`: immutable after `init`; its files are.
public final class SafetensorsCheckpoint: @unchecked Sendable {
    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"
    /// The index is small JSON (a name per tensor); one larger than this is not an index.
    static let maximumIndexBytes = 64 << 20

    /// The directory holding the files.
    public let directory: String
    /// The files in the order their names sort (shard order).
    public let files: [SafetensorsFile]
    /// The index's `metadata` (e.g. `total_size`), empty without an index.
    public let indexMetadata: JSONObject

    private let location: [String: (file: Int, tensor: SafetensorsTensorInfo)]

    /// The weights in `directory`, or nil when it has neither `model.safetensors` nor an index.
    public static func open(directory: String) throws(SafetensorsError) -> SafetensorsCheckpoint? {
        let manager = FileManager.default
        if manager.fileExists(atPath: path(directory, indexFileName)) {
            return try SafetensorsCheckpoint(indexIn: directory)
        }
        if manager.fileExists(atPath: path(directory, singleFileName)) {
            return SafetensorsCheckpoint(
                directory: directory, files: [try SafetensorsFile(path: path(directory, singleFileName))],
                indexMetadata: JSONObject())
        }
        return nil
    }

    private init(directory: String, files: [SafetensorsFile], indexMetadata: JSONObject) {
        self.directory = directory
        self.files = files
        self.indexMetadata = indexMetadata
        var location: [String: (file: Int, tensor: SafetensorsTensorInfo)] = [:]
        for (i, file) in files.enumerated() {
            for tensor in file.tensors { location[tensor.name] = (i, tensor) }
        }
        self.location = location
    }

    private convenience init(indexIn directory: String) throws(SafetensorsError) {
        let indexPath = Self.path(directory, Self.indexFileName)
        let (weightMap, metadata) = try Self.readIndex(indexPath)
        // Each shard opened once, in name order; the first tensor listed for it names it in errors.
        var firstTensor: [String: String] = [:]
        for entry in weightMap where firstTensor[entry.shard] == nil { firstTensor[entry.shard] = entry.tensor }
        var files: [SafetensorsFile] = []
        var fileIndex: [String: Int] = [:]
        for shard in firstTensor.keys.sorted() {
            let shardPath = Self.path(directory, shard)
            guard FileManager.default.fileExists(atPath: shardPath) else {
                throw .missingShard(index: indexPath, shard: shardPath, tensor: firstTensor[shard] ?? "")
            }
            fileIndex[shard] = files.count
            files.append(try SafetensorsFile(path: shardPath))
        }
        for entry in weightMap {
            guard let i = fileIndex[entry.shard], files[i].tensorIfPresent(entry.tensor) != nil else {
                throw .tensorNotInShard(index: indexPath, shard: Self.path(directory, entry.shard), tensor: entry.tensor)
            }
        }
        let listed = Dictionary(weightMap.map { ($0.tensor, $0.shard) }, uniquingKeysWith: { first, _ in first })
        for (shard, i) in fileIndex.sorted(by: { $0.key < $1.key }) {
            if let extra = files[i].tensors.first(where: { listed[$0.name] != shard }) {
                throw .tensorNotInIndex(index: indexPath, shard: Self.path(directory, shard), tensor: extra.name)
            }
        }
        self.init(directory: directory, files: files, indexMetadata: metadata)
    }

    /// The index's `weight_map` in file order and its `metadata`. Shard names must be plain file
    /// names: the index may not point outside its directory.
    private static func readIndex(_ indexPath: String) throws(SafetensorsError) -> ([(tensor: String, shard: String)], JSONObject) {
        let storage: FileBytes
        do { storage = try FileBytes(mapping: indexPath) } catch { throw .cannotOpen(path: error.path, reason: error.reason) }
        guard storage.count <= maximumIndexBytes else {
            throw .invalidIndex(file: indexPath, problem: "\(storage.count) bytes, more than an index of tensor names takes")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: Data(storage.buffer)) } catch { throw .invalidIndex(file: indexPath, problem: error.description) }
        guard case .object(let object) = json else {
            throw .invalidIndex(file: indexPath, problem: "the file holds \(json.kind), expected an object")
        }
        let fields = JSONFields<SafetensorsError>(object) { .invalidIndex(file: indexPath, problem: $0.description) }
        guard let weightMap = try fields.object("weight_map") else { throw fields.fail("weight_map", "is missing") }
        var entries: [(tensor: String, shard: String)] = []
        for (tensor, value) in weightMap.entries {
            guard case .string(let shard) = value else {
                throw .invalidIndex(file: indexPath, problem: "`weight_map.\(tensor)` must be a file name, found \(value.kind)")
            }
            guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw .invalidIndex(file: indexPath, problem: "`weight_map.\(tensor)` is '\(shard)', not a file name in the index's directory")
            }
            entries.append((tensor, shard))
        }
        return (entries, try fields.object("metadata") ?? JSONObject())
    }

    private static func path(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Every tensor of the checkpoint, file by file in data order.
    public var tensors: [SafetensorsTensorInfo] { files.flatMap(\.tensors) }

    /// The file holding `name` and its info, or nil when no file has it.
    public func tensorIfPresent(_ name: String) -> (file: SafetensorsFile, info: SafetensorsTensorInfo)? {
        location[name].map { (files[$0.file], $0.tensor) }
    }

    /// The raw bytes of the required tensor `name`, valid while the checkpoint is alive.
    public func bytes(of name: String) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        guard let found = tensorIfPresent(name) else { throw .missingTensor(tensor: name, checkpoint: directory) }
        return try found.file.bytes(of: found.info)
    }
}
