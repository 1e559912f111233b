import ArgumentParser

/// The `helpcenter` command tree: each subcommand is a thin layer over the libraries.
@main
struct HelpCenterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helpcenter",
        abstract: "Build a help center from a folder of Markdown articles.",
        subcommands: [BuildCommand.self, SearchCommand.self, RenderCommand.self],
        defaultSubcommand: BuildCommand.self
    )
}
