import Foundation
import HelpCenterTestSupport
import Testing

/// Issue 23: classes of pathological input, through the built executable as an editor or an import
/// would feed them. Each run ends with exit status 0 or 1, never a signal; a problem is reported
/// with the file's name; and time grows linearly: ten times the input takes under fifteen times as
/// long (plus half a second for starting processes on a busy machine), where a quadratic step
/// would take a hundred times as long.
@Suite struct PathologicalInputTests {
    let cli = CommandLineTests()

    /// An input class: `make(n)` gives an article body with `n` repetitions of its unit, and `expected`
    /// is what a build must report about it (nil: nothing in particular).
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var make: @Sendable (Int) -> Data
        var expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "one long line", make: { Data(String(repeating: "word ", count: $0).utf8) }, expected: nil),
        Case(name: "one long word", make: { Data(String(repeating: "a", count: $0 * 5).utf8) }, expected: nil),
        Case(name: "autolinks", make: { Data(String(repeating: "<https://e.example/p> ", count: $0).utf8) }, expected: nil),
        Case(name: "links (up to the bracket limit)", make: { Data(String(repeating: "[l](https://e.example/p) ", count: $0 / 2).utf8) }, expected: nil),
        Case(name: "headings", make: { Data(String(repeating: "## Heading\n\n", count: $0).utf8) }, expected: nil),
        Case(name: "NUL bytes and invalid UTF-8", make: { Data(Array(repeating: [UInt8]([0x00, 0xFF, 0xFE, 0x20, 0x74, 0x20]), count: $0).flatMap { $0 }) },
             expected: "warning: the file is not valid UTF-8"),
        Case(name: "BOM and CRLF", make: { Data("\u{FEFF}".utf8) + Data(String(repeating: "line of text\r\n", count: $0).utf8) }, expected: nil),
        Case(name: "CR line ends", make: { Data(String(repeating: "line of text\r", count: $0).utf8) }, expected: nil),
        Case(name: "nested raw HTML", make: { Data(("<div>\n" + String(repeating: "<div>", count: $0) + "x\n</div>\n").utf8) },
             expected: "nested deeper than 256 levels"),
        Case(name: "unclosed mixed raw HTML", make: { Data(("<div>\n" + String(repeating: "<span><b><details>", count: $0 / 3) + "x\n").utf8) },
             expected: "nested deeper than 256 levels"),
        Case(name: "nested block quotes", make: { Data((String(repeating: ">", count: $0) + " x\n").utf8) }, expected: "were flattened"),
        Case(name: "emphasis", make: { Data(String(repeating: "*a ", count: $0).utf8) }, expected: nil),
        Case(name: "table rows", make: { Data(("| a | b |\n|---|---|\n" + String(repeating: "| x | y |\n", count: $0)).utf8) }, expected: nil),
        Case(name: "brackets past the limit", make: { Data(String(repeating: "![[]()", count: $0 * 2).utf8) },
             expected: "error: the article holds"),
    ]

    /// Runs `helpcenter render` on `input`: (exit status, whether it exited normally, seconds).
    func render(_ input: Data, in folder: URL) throws -> (status: Int32, exited: Bool, seconds: Double) {
        let file = folder.appendingPathComponent("input-\(UUID().uuidString).md")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["render"]
        process.standardInput = try FileHandle(forReadingFrom: file)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        return (process.terminationStatus, process.terminationReason == .exit,
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test(arguments: cases)
    func endsCleanlyNamesTheFileAndTakesLinearTime(_ input: Case) throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let small = try render(input.make(2_000), in: folder.base)
        let large = try render(input.make(20_000), in: folder.base)
        for run in [small, large] {
            #expect(run.exited && (run.status == 0 || run.status == 1), "\(input.name): status \(run.status), exited normally: \(run.exited)")
        }
        #expect(large.seconds < 15 * small.seconds + 0.5, "\(input.name): \(small.seconds) s, then \(large.seconds) s for 10× the input")
        // The same input as an article of a site: the build names the file in what it reports.
        try folder.write("c/_category.yml", "title: C\n")
        let body = input.make(20_000)
        try (Data("---\ntitle: Pathological\n---\n".utf8) + body).write(to: folder.content.appendingPathComponent("c/p.md"))
        let build = try cli.run(["build"], in: folder.base)
        #expect(build.status == 0 || build.status == 1, "\(input.name): \(build.status)")
        if let expected = input.expected {
            #expect(build.stderr.contains("Content/c/p.md:") && build.stderr.contains(expected), "\(input.name): \(build.stderr.prefix(500))")
        }
    }
}
