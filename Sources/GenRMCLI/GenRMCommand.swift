import ArgumentParser

@main
struct GenRMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genrm",
        abstract: "Generative reward models: build judging prompts, judge, parse judgments.",
        subcommands: [JudgeCommand.self, RewardsCommand.self, BackendsCommand.self, PromptCommand.self, ParseCommand.self, GenerateCommand.self, TokenizeCommand.self, TemplateCommand.self, ModelsCommand.self, EvalCommand.self, ServeCommand.self]
    )
}
