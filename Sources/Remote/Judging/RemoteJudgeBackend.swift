import Foundation
import GenRM
import NIOConcurrencyHelpers

/// The judge's backend over a pool of OpenAI-compatible servers. Each vote is its own request
/// (seed + i; vLLM 0.8's `n` > 1 seeding gave identical samples), all votes at once, spread over
/// the pool with one affinity key per pair. Sampling is always sent explicitly (otherwise vLLM
/// applies the model's generation_config). Logprobs are asked for (`top_logprobs` 20) and the
/// score slots read out of them; a server that gives none yields a nil read-out, never an
/// invented one.
public final class RemoteJudgeBackend: JudgeBackend {
    public let pool: BackendPool
    public let mode: BackendPromptMode
    /// Sent when the judge has no `max_tokens`: NVIDIA's 32,768 (reasoning traces run long); a
    /// server with a shorter context gets what its context leaves (see `contextRefusal` and `Learned`).
    public static let defaultMaxTokens = 32768
    public static let topLogprobs = 20
    /// Votes one judgment may fan out to the pool, each its own request: far beyond the 1-32
    /// a GenRM user asks for, far below what would hold a pool for days.
    public static let maxVotesPerJudgment = 4096
    /// What each backend (by base URL) has told about itself.
    private let learned = NIOLockedValueBox<[String: Learned]>([:])

    /// A backend's refusals and answers, so that later requests do not repeat a refused shape.
    struct Learned {
        var refusesLogprobs = false
        /// From its refusal of a `max_tokens` beyond its context.
        var contextLength: Int?
        /// The prompt length of its last answer or refusal.
        var promptTokens: Int?

        /// `max_tokens` without a cap from the caller: 32,768, or less when the context is known
        /// to be shorter (what it left the last prompt; a longer prompt is refused and refitted).
        var maxTokens: Int {
            guard let contextLength, let promptTokens else { return RemoteJudgeBackend.defaultMaxTokens }
            return min(RemoteJudgeBackend.defaultMaxTokens, max(1, contextLength - promptTokens))
        }
    }

    public init(pool: BackendPool, mode: BackendPromptMode = .roles) {
        self.pool = pool
        self.mode = mode
    }

    public var modelName: String { pool.modelName }

    public var maxVotes: Int { Self.maxVotesPerJudgment }

    public func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        try await withThrowingTaskGroup(of: (Int, JudgeCompletion).self) { group in
            for (vote, sampling) in settings.sampling.choices(votes).enumerated() {
                var seeded = settings
                seeded.sampling = sampling
                let voteSettings = seeded
                group.addTask {
                    let completion = try await self.pool.send(affinity: input.affinity) { target in
                        try await self.generate(input, settings: voteSettings, on: target)
                    }
                    return (vote, completion)
                }
            }
            var completions: [JudgeCompletion?] = Array(repeating: nil, count: votes)
            for try await (vote, completion) in group { completions[vote] = completion }
            return completions.map { $0! }
        }
    }

    /// One vote on one backend. A 400 for a `max_tokens` beyond the server's context is answered
    /// once more with what the context leaves; a 400 refusing `logprobs` once more without them.
    func generate(_ input: JudgeInput, settings: JudgeSettings, on target: BackendPool.Target) async throws -> JudgeCompletion {
        let url = target.endpoint.baseURL
        let known = learned.withLockedValue { $0[url] ?? Learned() }
        var maxTokens = settings.maxTokens ?? known.maxTokens
        var logprobs = !known.refusesLogprobs
        var adjusted = Set<String>()
        while true {
            let body = requestBody(input, settings: settings, model: target.model, maxTokens: maxTokens, logprobs: logprobs)
            let path = mode == .text ? "/completions" : "/chat/completions"
            let reply = try await pool.http.post(
                target.endpoint.url(path), json: body, backend: url, timeout: pool.configuration.requestTimeout)
            if reply.status == 200 {
                let generated = mode == .text
                    ? try OpenAIWire.completion(reply.body, backend: url) : try OpenAIWire.chatCompletion(reply.body, backend: url)
                if generated.promptTokens > 0 { learned.withLockedValue { $0[url, default: Learned()].promptTokens = generated.promptTokens } }
                return completion(generated, responses: input.responses, backend: url)
            }
            let message = OpenAIWire.errorMessage(reply.body)
            if reply.status == 400 {
                if settings.maxTokens == nil, !adjusted.contains("max_tokens"), let (length, prompt) = Self.contextRefusal(message),
                   length - prompt > 0, length - prompt < maxTokens {
                    adjusted.insert("max_tokens")
                    maxTokens = length - prompt
                    learned.withLockedValue {
                        $0[url, default: Learned()].contextLength = length
                        $0[url, default: Learned()].promptTokens = prompt
                    }
                    continue
                }
                if logprobs, !adjusted.contains("logprobs"), message.contains("logprobs") {
                    adjusted.insert("logprobs")
                    logprobs = false
                    learned.withLockedValue { $0[url, default: Learned()].refusesLogprobs = true }
                    continue
                }
            }
            throw BackendFailure.status(backend: url, code: reply.status, message: message)
        }
    }

    /// The request JSON for this mode: sampling always explicit; the seed within 31 bits, which
    /// every server takes (vLLM, llama.cpp).
    func requestBody(_ input: JudgeInput, settings: JudgeSettings, model: String, maxTokens: Int, logprobs: Bool) -> Data {
        var body: [String: Any] = [
            "model": model, "temperature": settings.sampling.temperature, "top_p": settings.sampling.topP,
            "seed": Int(settings.sampling.seed & 0x7fff_ffff), "max_tokens": maxTokens, "stream": false,
        ]
        if settings.sampling.topK > 0 { body["top_k"] = settings.sampling.topK }
        if settings.sampling.minP > 0 { body["min_p"] = settings.sampling.minP }
        if settings.sampling.presencePenalty != 0 { body["presence_penalty"] = settings.sampling.presencePenalty }
        if settings.sampling.frequencyPenalty != 0 { body["frequency_penalty"] = settings.sampling.frequencyPenalty }
        if settings.sampling.repetitionPenalty != 1 { body["repetition_penalty"] = settings.sampling.repetitionPenalty }
        if settings.sampling.minTokens > 0 { body["min_tokens"] = settings.sampling.minTokens }
        switch mode {
        case .roles:
            body["messages"] = input.request.messages.map { ["role": $0.role, "content": $0.content] }
        case .messages:
            body["messages"] = input.prompt.messages.map { ["role": $0.role, "content": $0.content] }
        case .text:
            body["prompt"] = input.prompt.text
        }
        if logprobs {
            if mode == .text {
                body["logprobs"] = Self.topLogprobs
            } else {
                body["logprobs"] = true
                body["top_logprobs"] = Self.topLogprobs
            }
        }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    func completion(_ generated: GeneratedText, responses: ResponseCount, backend: String) -> JudgeCompletion {
        let readout = generated.tokens.flatMap { LogprobScoreReadout.read($0, responses: responses).readout }
        return JudgeCompletion(
            text: generated.text, readout: readout, promptTokens: generated.promptTokens,
            completionTokens: generated.completionTokens, finishReason: generated.finishReason, backend: backend)
    }

    /// The context length L and prompt length N from vLLM's (and genrm's) refusal: "... maximum
    /// context length is L tokens and your request has N input tokens ...".
    static func contextRefusal(_ message: String) -> (length: Int, prompt: Int)? {
        guard let length = number(after: "maximum context length is ", in: message),
              let input = number(after: "your request has ", in: message) else { return nil }
        return (length, input)
    }


    private static func number(after phrase: String, in text: String) -> Int? {
        guard let range = text.range(of: phrase) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
