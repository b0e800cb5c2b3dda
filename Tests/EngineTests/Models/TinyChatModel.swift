import Foundation
import Formats
@testable import Engine

/// A tiny model with a tokenizer and a chat template, written as a GGUF file the test owns: a
/// byte-level BPE vocabulary of the 256 bytes (GPT-2's byte-to-character map, no merges) plus
/// ChatML's special tokens, so prompts, judging prompts included, tokenize to one token per byte
/// and every digit is a single token. The weights are `TinyModel`'s random ones.
enum TinyChatModel {
    static let specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    static let chatTemplate = """
        {% for message in messages %}<|im_start|>{{ message['role'] }}
        {{ message['content'] }}<|im_end|>
        {% endfor %}{% if add_generation_prompt %}<|im_start|>assistant
        {% endif %}
        """

    /// GPT-2's printable stand-in for each byte.
    static var byteTokens: [String] {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var characters: [Int: Int] = [:]
        for byte in printable { characters[byte] = byte }
        var next = 256
        for byte in 0...255 where characters[byte] == nil {
            characters[byte] = next
            printable.append(byte)
            next += 1
        }
        return (0...255).map { String(UnicodeScalar(UInt32(characters[$0]!))!) }
    }

    /// The GGUF file of a tiny chat model, under a fresh temporary folder.
    static func write(layers: Int = 2, contextLength: Int = 8192, seed: UInt64 = 3) throws -> String {
        let tokens = byteTokens + specials
        var tiny = TinyModel.uniform(architecture: "llama", layerCount: layers)
        tiny.vocabulary = tokens.count
        tiny.contextLength = contextLength
        tiny.seed = seed
        // A separate output matrix keeps logits of order one, so sampling has real choices.
        tiny.tiedOutput = false
        let bytes = try tiny.bytes { metadata in
            metadata + [
                ("tokenizer.ggml.model", .string("gpt2")),
                ("tokenizer.ggml.pre", .string("gpt2")),
                ("tokenizer.ggml.tokens", .array(tokens.map { .string($0) })),
                ("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 < 256 ? 1 : 3) })),
                ("tokenizer.ggml.merges", .array([])),
                ("tokenizer.ggml.eos_token_id", .uint32(UInt32(256 + 2))),
                ("tokenizer.ggml.add_bos_token", .bool(false)),
                ("tokenizer.chat_template", .string(chatTemplate)),
                ("general.name", .string("tiny-chat")),
            ]
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("tiny-chat.gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The loaded model (one file per process is enough: the weights never change).
    static let shared: Result<EmbeddedModel, any Error> = Result { try EmbeddedModel(path: try write()) }

    static func model() throws -> EmbeddedModel { try shared.get() }
}
