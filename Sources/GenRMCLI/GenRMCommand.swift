import ArgumentParser
import Engine

@main
struct GenRMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genrm",
        abstract: "Generative reward models: build judging prompts, judge, parse judgments.",
        version: "genrm 0.1 (engine kernels: \(KernelISA.selected), chosen at run time from the CPU; GENRM_KERNELS=avx2 overrides)",
        subcommands: [JudgeCommand.self, RewardsCommand.self, BackendsCommand.self, PromptCommand.self, ParseCommand.self, GenerateCommand.self, TokenizeCommand.self, TemplateCommand.self, ModelsCommand.self, InspectCommand.self, EvalCommand.self, ServeCommand.self]
    )
}
