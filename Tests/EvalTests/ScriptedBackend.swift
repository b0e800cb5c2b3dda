import Foundation
import GenRM

/// A deterministic judge backend for testing the harness (not the model): it reads the two
/// responses out of the judging prompt and answers in the GenRM output format.
///
/// A response's quality is the number after `quality=` in its text (3 when absent); the better
/// one wins with ranking 2 or 5. Equal qualities split the votes: ranking 3 for even vote
/// indices, 4 for odd ones (so two votes average to 3.5, no preference). A response containing
/// `garbage` makes every vote unparseable; one containing `explode` makes the call throw while
/// `explodes` is set. It counts calls and the most calls in flight at once.
final class ScriptedBackend: JudgeBackend, @unchecked Sendable {
    // @unchecked: the counters are only touched under `lock`.
    let modelName: String
    let maxVotes = 1000
    private let delay: Duration
    private let lock = NSLock()
    private var _calls = 0
    private var _inFlight = 0
    private var _maxInFlight = 0
    private var _explodes = true

    struct Explosion: Error, CustomStringConvertible {
        var description: String { "scripted backend failure" }
    }

    init(modelName: String = "scripted-judge", delay: Duration = .zero) {
        self.modelName = modelName
        self.delay = delay
    }

    var calls: Int { lock.withLock { _calls } }
    var maxInFlight: Int { lock.withLock { _maxInFlight } }
    var explodes: Bool {
        get { lock.withLock { _explodes } }
        set { lock.withLock { _explodes = newValue } }
    }

    func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let prompt = input.prompt
        let explodes = lock.withLock {
            _calls += 1
            _inFlight += 1
            _maxInFlight = max(_maxInFlight, _inFlight)
            return _explodes
        }
        defer { lock.withLock { _inFlight -= 1 } }
        if delay > .zero { try await Task.sleep(for: delay) }
        let user = prompt.messages.last?.content ?? ""
        let texts = [1, 2].map { Self.response($0, in: user) }
        if explodes, texts.contains(where: { $0.contains("explode") }) { throw Explosion() }
        return (0..<votes).map { vote in
            let text = texts.contains { $0.contains("garbage") } ? "<think>lost</think>\nno scores here" : Self.output(texts, vote: vote)
            return JudgeCompletion(text: text, promptTokens: user.count, completionTokens: text.count, finishReason: "stop")
        }
    }

    static func response(_ index: Int, in prompt: String) -> String {
        let begin = JudgmentFormat.responseBegin(index) + "\n", end = "\n" + JudgmentFormat.responseEnd(index)
        guard let start = prompt.range(of: begin), let stop = prompt.range(of: end, range: start.upperBound..<prompt.endIndex) else { return "" }
        return String(prompt[start.upperBound..<stop.lowerBound])
    }

    static func quality(_ text: String) -> Int {
        guard let marker = text.range(of: "quality=") else { return 3 }
        return Int(text[marker.upperBound...].prefix { $0.isNumber }) ?? 3
    }

    static func output(_ texts: [String], vote: Int) -> String {
        let (first, second) = (quality(texts[0]), quality(texts[1]))
        let ranking = first > second ? 2 : first < second ? 5 : (vote % 2 == 0 ? 3 : 4)
        let scores = [first, second].map { min(max($0, 1), 5) }
        return """
            <think>
            scripted
            </think>

            [The Begin of Analysis on Response 1]
            quality \(first)
            [The End of Analysis on Response 1]

            [The Begin of Analysis on Response 2]
            quality \(second)
            [The End of Analysis on Response 2]

            [The Begin of Individual Scores]
            \\boxed{\(scores[0]), \(scores[1])}
            [The End of Individual Scores]

            [The Begin of Ranking Score]
            \\boxed{\(ranking)}
            [The End of Ranking Score]
            """
    }
}
