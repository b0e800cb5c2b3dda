import Foundation
import Formats
import Testing
@testable import Engine

/// A Hugging Face checkpoint directory runs on the same architecture code as its GGUF: the
/// tiny fixtures give the logits that the same weights give once converted as llama.cpp's
/// converter would (gguf-py names, Q/K rows permuted for adjacent-pair rope, llama3 divisors as a
/// tensor). That holds the name mapping, the DeciLM linear and no-op layers and the rotate-half
/// pairing of HF weights together; a conversion without the permutation gives other logits.
@Suite struct HFLoadingTests {
    static let tokens = [1, 17, 42, 5, 88, 0, 63, 17, 9, 95, 127, 3]

    static func logits(_ model: TransformerModel) throws -> [[Float]] {
        let cache = KVCache(config: model.config)
        let sequence = cache.addSequence()
        let logits = try model.forward(TokenBatch(sequence: sequence, start: 0, tokens: Self.tokens, allLogits: true), cache: cache)
        return Self.tokens.indices.map { Array(logits.row($0)) }
    }

    /// Largest difference between two logit tables, and the largest logit.
    static func compare(_ a: [[Float]], _ b: [[Float]]) -> (difference: Double, scale: Double) {
        var worst = 0.0, scale = 0.0
        for (rowA, rowB) in zip(a, b) {
            for (x, y) in zip(rowA, rowB) {
                worst = max(worst, abs(Double(x) - Double(y)))
                scale = max(scale, abs(Double(y)))
            }
        }
        return (worst, scale)
    }

    @Test(arguments: ["llama", "qwen2", "decilm"])
    func aDirectoryGivesTheLogitsOfItsGGUFConversion(fixture: String) throws {
        let directory = try HFFixtures.directory(fixture)
        let checkpoint = try HFCheckpoint(directory: directory)
        let fromDirectory = try TransformerModel(checkpoint: checkpoint)
        let gguf = try LlamaCppConversion(directory: directory).gguf()
        let fromGGUF = try TransformerModel(file: gguf)
        var expected = checkpoint.config.model
        // The GGUF states the pairing its permuted rows need; everything else must agree.
        expected.rope.pairing = fromGGUF.config.rope.pairing
        #expect(fromGGUF.config.layers == checkpoint.config.model.layers)
        #expect(fromGGUF.config.hiddenSize == expected.hiddenSize && fromGGUF.config.headDim == expected.headDim)
        let result = Self.compare(try Self.logits(fromDirectory), try Self.logits(fromGGUF))
        #expect(result.scale > 0.1)
        #expect(result.difference < 1e-4 * max(1, result.scale), "difference \(result.difference), scale \(result.scale)")
    }

    /// The check above has teeth: converted without llama.cpp's Q/K permutation, the llama
    /// fixture's GGUF pairs the wrong dimensions and its logits differ.
    @Test func withoutThePermutationTheLogitsDiffer() throws {
        let directory = try HFFixtures.directory("llama")
        let fromDirectory = try TransformerModel(checkpoint: try HFCheckpoint(directory: directory))
        var conversion = LlamaCppConversion(directory: directory)
        conversion.permuteQK = false
        let result = Self.compare(try Self.logits(fromDirectory), try Self.logits(TransformerModel(file: conversion.gguf())))
        #expect(result.difference > 1e-3, "difference \(result.difference)")
    }

    /// `quantize: .q8_0` gives what the GGUF whose matrices were quantized to Q8_0 by the
    /// reference quantizer gives; Q4_K where rows split into 256 (the DeciLM fixture's
    /// down projections of 256, 512 and 768), Q8_0 elsewhere.
    @Test(arguments: [("llama", GGMLType.q8_0), ("qwen2", .q8_0), ("decilm", .q8_0), ("decilm", .q4_K)])
    func quantizedAtLoadGivesTheLogitsOfTheQuantizedGGUF(fixture: String, type: GGMLType) throws {
        let directory = try HFFixtures.directory(fixture)
        let quantized = try TransformerModel(checkpoint: try HFCheckpoint(directory: directory), quantize: type)
        let summary = try #require(quantized.quantization)
        #expect(summary.contains("to \(type.name)"), "\(summary)")
        let gguf = try Self.quantizedGGUF(directory: directory, type: type)
        let result = Self.compare(try Self.logits(quantized), try Self.logits(TransformerModel(file: gguf)))
        #expect(result.difference < 1e-4 * max(1, result.scale), "difference \(result.difference), scale \(result.scale)")
        // And it stays near the float model (4-bit weights of random Gaussian matrices move the
        // largest logit by about a tenth).
        let float = try TransformerModel(checkpoint: try HFCheckpoint(directory: directory))
        let drift = Self.compare(try Self.logits(quantized), try Self.logits(float))
        let bound = type == .q4_K ? 0.15 : 0.05
        #expect(drift.difference < bound * drift.scale, "difference \(drift.difference), scale \(drift.scale)")
    }

    /// The GGUF conversion of `directory` with every matrix in the type load-time quantizing
    /// gives it (the converter quantizes rows after permuting them; a row's encoding depends on
    /// that row alone, so the order does not matter).
    static func quantizedGGUF(directory: String, type: GGMLType) throws -> GGUFFile {
        let float = try LlamaCppConversion(directory: directory).gguf()
        var writer = try GGUFWriter()
        for key in float.metadata.keys { try writer.add(key, try float.metadata.value(key)) }
        for info in float.tensors {
            let values = try info.type.dequantizeReference(row: try float.bytes(of: info))
            let stored = LoadQuantizer.quantizedType(of: info.type, shape: info.dimensions.reversed(), target: type) ?? info.type
            try writer.addTensor(info.name, dimensions: info.dimensions, type: stored, data: stored.quantizeReference(values))
        }
        return try GGUFFile(bytes: writer.bytes())
    }

    @Test func aQuantizedGGUFIsNotQuantizedAgain() throws {
        var tiny = TinyModel.uniform(architecture: "llama")
        tiny.matrixType = .q8_0
        #expect(throws: ModelError.self) { try TransformerModel(file: tiny.file(), quantize: .q8_0) }
        do {
            _ = try TransformerModel(file: tiny.file(), quantize: .q8_0)
        } catch {
            #expect("\(error)".contains("no F32, F16 or BF16 matrix to quantize"), "\(error)")
        }
    }

    @Test func onlyQ8_0AndQ4_KAreOffered() throws {
        #expect(throws: ModelError.self) { try LoadQuantizer(target: .q4_1) }
    }
}
