import Foundation
import GenRM
import Tokenizers

/// The judge's backend on the embedded CPU engine: renders the judging messages with the model's
/// chat format, prefills the prompt once, and decodes every vote in one batch, under the
/// structured skeleton by default or freely.
///
/// The last call's prompt is kept: a prompt that starts like the previous one (every judging
/// prompt opens with the same instructions; the two orders of a swapped pair also share the
/// conversation) prefills only what follows the common prefix.
public final class EmbeddedJudgeBackend: JudgeBackend, @unchecked Sendable {
    // @unchecked: the model is immutable and Sendable; `lock` serialises decoding, which owns a
    // KV cache per call, so one call's sessions never meet another's.
    public let model: EmbeddedModel
    private let digits: DigitTokens
    private let lock = NSLock()
    /// The previous call's prompt, guarded by `lock` (the scheduler's prefix cache, one entry).
    private let previous = PrefixCache(capacity: 1)
    /// Prompt tokens taken from `previous` instead of being prefilled, over all calls; guarded by `lock`.
    private var reused = 0

    /// Prompt tokens taken from the previous call's prompt instead of being prefilled, so far.
    public var reusedPromptTokens: Int { withLock { reused } }

    public init(model: EmbeddedModel) throws {
        self.model = model
        digits = try DigitTokens(tokenizer: model.tokenizer)
    }

    public var modelName: String { model.name }

    public func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let responses = input.responses
        let text = try model.promptRenderer.render(input.prompt.messages, addGenerationPrompt: true)
        let ids = model.encodePrompt(text)
        let room = model.contextLength - ids.count
        let segments: [SkeletonSegment]
        if settings.structured {
            segments = JudgeSkeleton.segments(
                responses: responses,
                reasoningTokens: min(settings.reasoningTokens, settings.maxTokens ?? .max),
                analysisTokens: min(settings.analysisTokens, settings.maxTokens ?? .max))
            let needed = neededTokens(segments)
            guard needed <= room else {
                throw JudgeDecodingError.contextOverflow(promptTokens: ids.count, needed: needed, contextLength: model.contextLength)
            }
        } else {
            guard room >= 1 else {
                throw JudgeDecodingError.contextOverflow(promptTokens: ids.count, needed: 1, contextLength: model.contextLength)
            }
            segments = [.free(budget: min(settings.maxTokens ?? room, room), stops: [])]
        }
        let sampling = (0..<votes).map { vote in
            SamplingParameters(
                temperature: Float(settings.temperature), topK: settings.topK, topP: Float(settings.topP),
                minP: Float(settings.minP), seed: settings.seed &+ UInt64(vote))
        }
        let batch = VoteBatch(model: model.network, tokenizer: model.tokenizer, digits: digits, contextLength: model.contextLength)
        return try withLock {
            let root = try prefilledSession(ids)
            return try batch.run(root: root, prompt: ids, segments: segments, sampling: sampling)
        }
    }

    /// A session holding exactly `ids`: the previous prompt's longest shared prefix continued,
    /// or a fresh session when nothing is shared; kept as the next call's prefix source. Called
    /// under `lock`.
    private func prefilledSession(_ ids: [Int]) throws -> InferenceSession {
        let session: InferenceSession
        if let (cached, shared) = try previous.start(ids) {
            session = cached
            // The last shared token is fed again for its logits.
            reused += shared - 1
        } else {
            session = InferenceSession(model: model.network, maxLength: model.contextLength)
        }
        try session.prefill(Array(ids[session.tokens.count...]))
        try previous.insert(session)
        return session
    }

    /// Upper bound of the tokens the skeleton adds after the prompt: every forced text, every
    /// free budget, one per digit.
    private func neededTokens(_ segments: [SkeletonSegment]) -> Int {
        segments.reduce(0) { total, segment in
            switch segment {
            case .forced(let text): total + model.tokenizer.encode(text, parseSpecial: false).count
            case .free(let budget, _): total + budget
            case .digit: total + 1
            }
        }
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
