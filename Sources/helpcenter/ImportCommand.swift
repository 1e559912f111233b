import ArgumentParser
import Foundation
import HelpCenterImport

/// `helpcenter import SRC --into DIR`: an exported help center into this product's format.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a help center exported to Markdown (e.g. from Zendesk Guide) as a content folder.",
        discussion: """
            Category titles and order from .group.json files, front matter normalised (labels → tags, promoted → \
            featured), links to the old help center (--legacy-url, with {id}) rewritten to the imported articles, \
            callouts converted, trailing "Further reading" lists turned into related:, repeated titles and \
            zero-width characters removed. Prints a report; the same export always gives the same files.
            """
    )

    @Argument(help: "The export's folder (holding the category folders).") var source: String
    @Option(name: .long, help: "The content folder to write (new or empty, unless --force).") var into: String
    @Option(name: .customLong("legacy-url"), help: "The old article URL with {id}, e.g. 'https://support.example.com/hc/en-us/articles/{id}'.")
    var legacyURL: String?
    @Flag(name: .long, help: "Print the report without writing anything.") var dryRun = false
    @Flag(name: .long, help: "Write into a folder that is not empty (files with the same names are replaced).") var force = false

    func run() throws {
        let destination = URL(fileURLWithPath: into)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: destination.path))?.filter { !$0.hasPrefix(".") } ?? []
        if !existing.isEmpty && !force && !dryRun {
            throw ValidationError("'\(into)' is not empty; import into a new folder, or pass --force to write over it")
        }
        let (files, report): ([String: Data], ExportImporter.Report)
        do {
            (files, report) = try ExportImporter(source: URL(fileURLWithPath: source), legacyURL: legacyURL).convert()
        } catch let failure as ExportImporter.Failure {
            throw ValidationError(failure.message)
        }
        if !dryRun {
            var all = files
            if !FileManager.default.fileExists(atPath: destination.appendingPathComponent("site.yml").path) && all["site.yml"] == nil {
                all["site.yml"] = Data("title: Help Center\n".utf8)
            }
            for (path, data) in all.sorted(by: { $0.key < $1.key }) {
                let url = destination.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }
        print("\(dryRun ? "would import" : "imported") \(plural(report.articles, "article")) and \(plural(report.categories, "category", "categories")) into \(into)/")
        print("  links to the old help center rewritten: \(report.linksRewritten); left external (id not in the export): \(report.linksLeftExternal.count)")
        print("  callouts converted: \(report.calloutsConverted); related lists made: \(report.relatedListsMade); repeated titles dropped: \(report.titlesDropped); other files copied: \(report.filesCopied)")
        for link in report.linksLeftExternal { print("  left external: \(link)") }
        for refusal in report.aliasesRefused { print("  alias refused: \(refusal)") }
        for file in report.configurationSkipped { print("  not copied (site configuration, templates, scripts or active files): \(file)") }
    }
}
