import ChatTemplates
import Eval
import Formats
import Foundation
import GenRM
import JSON

/// The parsers that read what users and files hand genrm, each as a function of raw bytes that
/// must return (an error is fine) and never crash, hang or leak: run under libFuzzer with
/// `scripts/fuzz.sh`, or over a corpus without it (`genrm-fuzz TARGET FILES...`).
enum FuzzTargets {
    static let all: [(name: String, run: @Sendable (UnsafeRawBufferPointer) -> Void)] = [
        ("gguf", gguf), ("safetensors", safetensors), ("jinja", jinja), ("json-request", jsonRequest), ("judgment", judgment), ("results", results),
    ]

    /// A GGUF image: header, metadata and tensor infos, then every tensor's bytes.
    static func gguf(_ bytes: UnsafeRawBufferPointer) {
        guard let file = try? GGUFFile(bytes: Array(bytes)) else { return }
        for tensor in file.tensors { _ = try? file.bytes(of: tensor) }
        for key in file.metadata.keys { _ = file.metadata[key] }
    }

    /// A safetensors image: header length, JSON header, then every tensor's bytes.
    static func safetensors(_ bytes: UnsafeRawBufferPointer) {
        guard let file = try? SafetensorsFile(bytes: Array(bytes)) else { return }
        for tensor in file.tensors { _ = try? file.bytes(of: tensor) }
    }

    /// A chat template's source, rendered with a GenRM conversation (both response roles).
    static func jinja(_ bytes: UnsafeRawBufferPointer) {
        guard let source = String(validating: bytes, as: UTF8.self),
              let template = try? ChatTemplate(source: source) else { return }
        let messages: [TemplateValue] = [
            .object(["role": .string("system"), "content": .string("Be fair.")]),
            .object(["role": .string("user"), "content": .string("What is 1+1?")]),
            .object(["role": .string("response_1"), "content": .string("2")]),
            .object(["role": .string("response_2"), "content": .string("3")]),
        ]
        _ = try? template.render(
            messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>",
            options: .init(now: { Date(timeIntervalSince1970: 0) }, maximumOutputBytes: 1 << 20))
    }

    /// A request body: JSON syntax, then the judge request's fields and roles.
    static func jsonRequest(_ bytes: UnsafeRawBufferPointer) {
        let data = Data(bytes)
        _ = try? JSONValue(parsing: data)
        _ = try? JudgeRequest(json: data)
    }

    /// A model's output, read as a judgment of one and of two responses.
    static func judgment(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? JudgmentParser.parse(text)
        for count in ResponseCount.allCases { _ = try? JudgmentParser.parse(text, responses: count) }
    }

    /// An evaluation results file (JSON lines).
    static func results(_ bytes: UnsafeRawBufferPointer) {
        _ = try? ResultsFile.parse(Data(bytes), path: "fuzz-input.jsonl")
    }
}
