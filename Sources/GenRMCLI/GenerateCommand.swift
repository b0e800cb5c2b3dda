import ArgumentParser
import Engine
import Foundation
import GenRM

/// `genrm generate`: plain completion, for checking the engine against llama.cpp.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Complete a raw prompt (no chat template) or a messages file (rendered with the model's chat format).",
        discussion: """
            --prompt TEXT is fed as is: no template, special tokens in it are not parsed, and BOS is \
            added only when the model's metadata asks for it. The completion streams to stdout; \
            speed goes to stderr. Exit status: 0 ok, 1 model or input error, 64 usage error.
            """
    )

    @OptionGroup var engine: EngineArguments

    @Option(help: "Raw prompt text.")
    var prompt: String?

    @Option(help: "JSON file of chat messages ([{role, content}] or a chat-completions body).")
    var messages: String?

    @Flag(help: "Greedy decoding (the default unless --temperature is given).")
    var greedy = false

    @Option(help: "Sampling temperature (0 = greedy).")
    var temperature = 0.0

    @Option(help: "Nucleus sampling mass in (0, 1].")
    var topP = 1.0

    @Option(help: "Keep only the k likeliest tokens (0 = off).")
    var topK = 0

    @Option(help: "Drop tokens below min-p times the top probability.")
    var minP = 0.0

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Tokens to generate at most.")
    var maxTokens = 128

    func validate() throws {
        guard (prompt == nil) != (messages == nil) else {
            throw ValidationError("give exactly one of --prompt and --messages")
        }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be >= 1, not \(maxTokens)") }
        do {
            try sampling.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    var sampling: SamplingParameters {
        SamplingParameters(temperature: greedy ? 0 : Float(temperature), topK: topK, topP: Float(topP),
                           minP: Float(minP), seed: seed)
    }

    func run() throws {
        do {
            let model = try engine.load()
            let ids: [Int]
            if let prompt {
                var raw = model.tokenizer.encode(prompt, parseSpecial: false)
                if model.tokenizer.addBOS, let bos = model.tokenizer.bos { raw.insert(bos, at: 0) }
                ids = raw
            } else {
                let chat = try ChatMessage.chatMessages(fromJSON: try CLIInput.data(messages))
                ids = model.encodePrompt(try model.promptRenderer.render(chat, addGenerationPrompt: true))
            }
            let tokenizer = model.tokenizer
            let generator = Generator(model: model.network) { ids in
                (try? tokenizer.decode(ids)) ?? ""
            }
            let parameters = GenerationParameters(maxTokens: maxTokens, sampling: sampling, stopTokens: Set(tokenizer.eosIds))
            let result = try generator.generate(prompt: ids, parameters: parameters) { chunk in
                FileHandle.standardOutput.write(Data(chunk.text.utf8))
                return true
            }
            FileHandle.standardOutput.write(Data("\n".utf8))
            let usage = result.usage
            engine.progress(String(format: "prompt %d tokens at %.1f tok/s; generated %d tokens at %.1f tok/s (%@)",
                                   usage.promptTokens, usage.promptTokensPerSecond, usage.generatedTokens,
                                   usage.generatedTokensPerSecond, result.finishReason.rawValue))
        } catch {
            throw CLIExit.report(error)
        }
    }
}
