import ArgumentParser

/// The `helpcenter` command tree: each subcommand is a thin layer over the libraries.
@main
struct HelpCenterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helpcenter",
        abstract: "Build and serve a help center from a folder of Markdown articles.",
        subcommands: [BuildCommand.self, CheckCommand.self, NewCommand.self, MoveCommand.self, LinksCommand.self, ImportCommand.self, ServeCommand.self, SearchCommand.self, ReportCommand.self, AccountsCommand.self, OutboxCommand.self, RenderCommand.self],
        defaultSubcommand: BuildCommand.self
    )
}
