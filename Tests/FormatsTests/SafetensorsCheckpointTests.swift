import Foundation
import Testing
import JSON
@testable import Formats

/// A directory's weights: one `model.safetensors`, or shards through
/// `model.safetensors.index.json`, whose disagreements are refused naming both files.
@Suite struct SafetensorsCheckpointTests {
    /// A directory with two shards (`a` in the first, `b` and `c` in the second) and an index
    /// whose weight map is `weightMap` (default: the true one).
    static func shardedDirectory(weightMap: String? = nil, writeSecondShard: Bool = true) throws -> String {
        let directory = try SafetensorsImage.temporaryDirectory()
        let first = SafetensorsImage.f32([("a", [2], [1, 2])])
        let second = SafetensorsImage.f32([("b", [1], [3]), ("c", [2, 1], [4, 5])])
        try Data(first).write(to: URL(fileURLWithPath: directory + "/model-00001-of-00002.safetensors"))
        if writeSecondShard {
            try Data(second).write(to: URL(fileURLWithPath: directory + "/model-00002-of-00002.safetensors"))
        }
        let map = weightMap ?? #"{"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}"#
        try Data(#"{"metadata": {"total_size": 20}, "weight_map": \#(map)}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/" + SafetensorsCheckpoint.indexFileName))
        return directory
    }

    static func open(_ directory: String) -> SafetensorsError? {
        safetensorsError { _ = try SafetensorsCheckpoint.open(directory: directory) }
    }

    @Test func shardsAreReadThroughTheIndex() throws {
        let directory = try Self.shardedDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checkpoint = try #require(try SafetensorsCheckpoint.open(directory: directory))
        #expect(checkpoint.files.count == 2)
        #expect(checkpoint.tensors.map(\.name) == ["a", "b", "c"])
        #expect(checkpoint.indexMetadata["total_size"] == JSONValue.int(20))
        let c = try checkpoint.bytes(of: "c")
        #expect((0..<2).map { c.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } == [4, 5])
        #expect(checkpoint.tensorIfPresent("c")?.file.source.hasSuffix("model-00002-of-00002.safetensors") == true)
        #expect(safetensorsError { _ = try checkpoint.bytes(of: "d") } == .missingTensor(tensor: "d", checkpoint: directory))
    }

    @Test func aSingleFileNeedsNoIndex() throws {
        let directory = try SafetensorsImage.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try SafetensorsCheckpoint.open(directory: directory) == nil)
        try Data(SafetensorsImage.f32([("w", [3], [1, 2, 3])])).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        let checkpoint = try #require(try SafetensorsCheckpoint.open(directory: directory))
        #expect(checkpoint.tensors.map(\.name) == ["w"])
    }

    @Test func aMissingShardNamesTheIndexTheShardAndATensor() throws {
        let directory = try Self.shardedDirectory(writeSecondShard: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = Self.open(directory)
        #expect(error == .missingShard(
            index: directory + "/model.safetensors.index.json", shard: directory + "/model-00002-of-00002.safetensors", tensor: "b"))
    }

    @Test func aTensorListedButAbsentFromItsShard() throws {
        let map = #"{"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}"#
        let directory = try Self.shardedDirectory(weightMap: map)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Self.open(directory) == .tensorNotInShard(
            index: directory + "/model.safetensors.index.json", shard: directory + "/model-00001-of-00002.safetensors", tensor: "b"))
    }

    @Test func aShardTensorTheIndexDoesNotList() throws {
        let map = #"{"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}"#
        let directory = try Self.shardedDirectory(weightMap: map)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Self.open(directory) == .tensorNotInIndex(
            index: directory + "/model.safetensors.index.json", shard: directory + "/model-00002-of-00002.safetensors", tensor: "c"))
    }

    @Test(arguments: [
        (#"{"a": "../model.safetensors"}"#, "not a file name"),
        (#"{"a": 7}"#, "must be a file name"),
        (#"[]"#, "`weight_map` must be an object"),
    ])
    func indexesThatAreNotWeightMaps(_ map: String, _ words: String) throws {
        let directory = try Self.shardedDirectory(weightMap: map)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = Self.open(directory)
        guard case .invalidIndex(let file, let problem)? = error else {
            Issue.record("\(map) gave \(String(describing: error))")
            return
        }
        #expect(file.hasSuffix("model.safetensors.index.json"))
        #expect(problem.contains(words), "\(problem)")
    }
}
