import ArgumentParser
import Foundation
import GenRM

/// `genrm prompt`: the exact model input for a judging request.
struct PromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Print the exact model input (Llama 3 text, or messages and text as JSON) for a judging request.",
        discussion: """
            The request is a chat-completions body {"model": ..., "messages": [...]} or a bare \
            messages array: history in roles user/assistant (an optional leading system), then \
            response_1 and optionally response_2. Exit status: 0 ok, 1 invalid request, 64 usage error.
            """
    )

    @Argument(help: "Request JSON file; `-` or nothing reads standard input.")
    var file: String?

    @Flag(help: "Print {\"messages\": [...], \"text\": \"...\"} instead of the rendered text.")
    var json = false

    @OptionGroup var promptArguments: JudgePromptArguments

    func run() throws {
        try CLIExit.run {
            let request = try JudgeRequest(json: try CLIInput.data(file), options: promptArguments.requestOptions)
            let prompt = try promptArguments.builder().prompt(for: request)
            return json ? try CLIJSON.string(prompt) : prompt.text
        }
    }
}
