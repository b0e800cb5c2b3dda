import ArgumentParser
import Engine
import Foundation
import GenRM

/// `genrm generate`: plain completion, for checking the engine against llama.cpp.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Complete a raw prompt (no chat template) or a messages file (rendered with the model's chat format).",
        discussion: """
            --prompt TEXT is fed without a template; special tokens written in it (<|im_start|>, \
            <|eot_id|>) are parsed into their ids as llama.cpp and vLLM's completions do, unless \
            --no-special is given; BOS is added only when the model's metadata asks for it and the \
            text does not already start with it. The completion streams to stdout; \
            speed goes to stderr. It runs on the same batch scheduler as judging and serving, at \
            the context --max-model-len sets. Exit status: 0 ok, 1 model or input error, 64 usage error.
            """
    )

    @OptionGroup var engine: EngineArguments

    @Option(help: "Raw prompt text.")
    var prompt: String?

    @Flag(help: "Read special-token text in --prompt as plain text instead of parsing it into special tokens.")
    var noSpecial = false

    @Option(help: "JSON file of chat messages ([{role, content}] or a chat-completions body).")
    var messages: String?

    @Flag(help: "Greedy decoding (the default unless --temperature is given).")
    var greedy = false

    @Option(parsing: .unconditional, help: "Sampling temperature (0 = greedy).")
    var temperature = 0.0

    @Option(parsing: .unconditional, help: "Nucleus sampling mass in (0, 1].")
    var topP = 1.0

    @Option(parsing: .unconditional, help: "Keep only the k likeliest tokens (0 = off).")
    var topK = 0

    @Option(parsing: .unconditional, help: "Drop tokens below min-p times the top probability.")
    var minP = 0.0

    @Option(parsing: .unconditional, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Tokens to generate at most.")
    var maxTokens = 128

    func validate() throws {
        guard (prompt == nil) != (messages == nil) else {
            throw ValidationError("give exactly one of --prompt and --messages")
        }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be >= 1, not \(maxTokens)") }
        do {
            try sampling.validate()
        } catch {
            throw ValidationError(error.optionMessage)
        }
    }

    var sampling: SamplingParameters {
        SamplingParameters(temperature: greedy ? 0 : temperature, topK: topK, topP: topP, minP: minP, seed: seed)
    }

    func run() async throws {
        do {
            let model = try engine.load()
            let ids: [Int]
            if let prompt {
                ids = model.encodeRawPrompt(prompt, parseSpecial: !noSpecial)
            } else {
                let chat = try ChatMessage.chatMessages(fromJSON: try CLIInput.data(messages))
                ids = model.encodePrompt(try model.promptRenderer.render(chat, addGenerationPrompt: true))
            }
            let scheduler = BatchScheduler(
                model: model.network, tokenizer: model.tokenizer, limits: engine.applyingMemoryBudget(EngineArguments.commandLimits(for: model, sequences: 1)))
            scheduler.start()
            defer { scheduler.shutdown() }
            let decoding = TextDecoding(maxTokens: maxTokens, stopTokens: Set(model.tokenizer.eosIds))
            let clock = ContinuousClock()
            let start = clock.now
            var prefilled = start
            var result: ChoiceResult?
            for try await event in try scheduler.submit(EngineRequest(prompt: ids, choices: [sampling], decoding: .text(decoding))) {
                switch event {
                case .prefilled(_, let at): prefilled = at
                case .delta(_, let text, _): FileHandle.standardOutput.write(Data(text.utf8))
                case .finished(_, let finished): result = finished
                case .promptLogprobs: break
                }
            }
            FileHandle.standardOutput.write(Data("\n".utf8))
            let promptSeconds = start.duration(to: prefilled).seconds
            let generationSeconds = prefilled.duration(to: clock.now).seconds
            let generated = result?.completionTokens ?? 0
            engine.progress(String(
                format: "prompt %d tokens at %.1f tok/s; generated %d tokens at %.1f tok/s (%@)", ids.count,
                Double(ids.count) / max(promptSeconds, 1e-9), generated, Double(generated) / max(generationSeconds, 1e-9),
                result?.finishReason.rawValue ?? "cancelled"))
        } catch {
            throw CLIExit.report(error)
        }
    }
}
