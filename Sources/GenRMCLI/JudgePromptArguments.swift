import ArgumentParser
import GenRM

/// The options that decide how a request becomes the judging prompt; shared by every command that
/// builds one (`prompt`, and `judge`).
struct JudgePromptArguments: ParsableArguments {
    @Flag(name: .customLong("no-thinking"), help: "System message `detailed thinking off` instead of `detailed thinking on`.")
    var noThinking = false

    @Option(help: "Apostrophe in \"the User's query\" of the judging prompt.")
    var apostrophe: PromptVariant.Apostrophe = .straight

    @Option(help: "Which example box of the judging prompt carries \"if there exists 2 responses\".")
    var boxedSuffix: PromptVariant.BoxedSuffix = .scores

    @Flag(help: "Judge responses as sent, including any reasoning before `</think>` (default: only the text after the last `</think>`).")
    var keepCandidateReasoning = false

    var requestOptions: RequestOptions {
        RequestOptions(stripsCandidateReasoning: !keepCandidateReasoning)
    }

    func builder() throws -> JudgePromptBuilder {
        try JudgePromptBuilder.bundled(
            variant: PromptVariant(apostrophe: apostrophe, boxedSuffix: boxedSuffix), thinking: !noThinking)
    }
}

extension PromptVariant.Apostrophe: ExpressibleByArgument {}
extension PromptVariant.BoxedSuffix: ExpressibleByArgument {}
