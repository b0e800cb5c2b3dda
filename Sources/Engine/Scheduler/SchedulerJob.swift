import Foundation

/// A request the scheduler has admitted: its stream, its prefill progress and, once prefilled,
/// one decoding choice per `n`. Lives on the engine thread only; its sessions (and with them
/// their KV-cache slots) are freed on that thread when the job is dropped.
final class SchedulerJob {
    let id: Int
    let request: EngineRequest
    /// The bytes its sequences may hold at most, reserved while it is admitted.
    let memoryBytes: Int
    let continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    /// The sequence holding the prompt while it is prefilled (chunk by chunk).
    var prompt: InferenceSession?
    /// The prompt tokens' log-probabilities so far, when the request asked for them.
    var promptLogprobs: [TokenLogprob] = []
    var choices: [Choice] = []
    var reportedFinished: Set<Int> = []

    enum Choice {
        case text(TextChoice)
        case judge(JudgeChoice)

        var session: InferenceSession {
            switch self {
            case .text(let c): c.session
            case .judge(let c): c.session
            }
        }

        var result: ChoiceResult? {
            switch self {
            case .text(let c): c.result
            case .judge(let c): c.result
            }
        }

        /// The next token to feed, nil when the choice has ended.
        func step() throws -> Int? {
            switch self {
            case .text(let c): return try c.step()
            case .judge(let c): return try c.step()
            }
        }

        func takeDelta() -> (text: String, logprobs: [TokenLogprob]) {
            switch self {
            case .text(let c): c.takeDelta()
            case .judge(let c): c.takeDelta()
            }
        }
    }

    init(id: Int, request: EngineRequest, memoryBytes: Int, continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation) {
        self.id = id
        self.request = request
        self.memoryBytes = memoryBytes
        self.continuation = continuation
    }

    var sequenceCount: Int { request.choices.count }
    var isPrefilled: Bool { !choices.isEmpty }
    var isFinished: Bool { isPrefilled && reportedFinished.count == choices.count }

    /// Sends every choice's settled text, and the results of choices that just ended.
    func report() {
        for (index, choice) in choices.enumerated() where !reportedFinished.contains(index) {
            let delta = choice.takeDelta()
            if !delta.text.isEmpty || !delta.logprobs.isEmpty {
                continuation.yield(.delta(choice: index, text: delta.text, logprobs: delta.logprobs))
            }
            if let result = choice.result {
                reportedFinished.insert(index)
                continuation.yield(.finished(choice: index, result))
            }
        }
        if isFinished { continuation.finish() }
    }
}
