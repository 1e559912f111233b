import HelpCenterContent
import HelpCenterMarkdown
import Testing

@Suite struct FrontMatterTests {
    @Test func bomCRLFAndQuotedTitleWithColon() {
        let file = "\u{FEFF}---\r\ntitle: \"Order Protection: what is covered?\"\r\nid: 0012\r\n---\r\nBody\r\n"
        let (frontMatter, body, offset, diagnostics) = FrontMatter.split(file, path: "a.md")
        #expect(diagnostics.isEmpty)
        #expect(frontMatter.title == "Order Protection: what is covered?")
        #expect(frontMatter.id == "0012")
        #expect(body == "Body\n")
        #expect(offset == 4)
    }

    @Test func scalarsStayAsWritten() {
        let (frontMatter, _, _, diagnostics) = FrontMatter.split("---\ntitle: No\nsummary: 3.10\ntags: a, b ,c\nunknown_key: [1, 2]\n---\n", path: "a.md")
        #expect(diagnostics.isEmpty)
        #expect(frontMatter.title == "No")
        #expect(frontMatter.summary == "3.10")
        #expect(frontMatter.tags == ["a", "b", "c"])
    }

    @Test func allKeysAreRead() {
        let text = """
            ---
            title: T
            id: abc-1
            tags: [x, y]
            related: [other.md, 42]
            aliases: /old/page/
            order: 3
            updated: 2026-10-14
            draft: yes
            walkthrough: password-reset
            ---
            """
        let (frontMatter, _, _, diagnostics) = FrontMatter.split(text, path: "a.md")
        #expect(diagnostics.isEmpty)
        #expect(frontMatter.id == "abc-1")
        #expect(frontMatter.tags == ["x", "y"])
        #expect(frontMatter.related.map(\.reference) == ["other.md", "42"])
        #expect(frontMatter.aliases.map(\.path) == ["/old/page/"])
        #expect(frontMatter.order == 3)
        #expect(frontMatter.updated == "2026-10-14")
        #expect(frontMatter.draft)
        #expect(frontMatter.walkthrough == "password-reset")
    }

    @Test func invalidYAMLIsAnErrorAtItsLineWithAHintToQuote() {
        let (_, _, _, diagnostics) = FrontMatter.split("---\ntitle: ok\nsummary: Note: this: breaks\n---\nBody\n", path: "Content/a.md")
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].severity == .error)
        #expect(diagnostics[0].location.line == 3)
        #expect(diagnostics[0].description.hasPrefix("Content/a.md:3:"))
        #expect(diagnostics[0].message.contains("double quotes"))
    }

    @Test func tabIndentationGetsItsOwnHint() {
        let (_, _, _, diagnostics) = FrontMatter.split("---\ntitle: x\ntags:\n\t- a\n---\n", path: "a.md")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasSuffix("indent with spaces, not tabs") == true)
    }

    @Test func valueCutByAYAMLCommentIsAWarning() {
        let (frontMatter, _, _, diagnostics) = FrontMatter.split("---\ntitle: x\nsummary: Use #hashtags: they work\n---\n", path: "a.md")
        #expect(frontMatter.summary == "Use")
        #expect(diagnostics.map(\.location.line) == [3])
        #expect(diagnostics.first?.message.contains("double quotes") == true)
        let (_, _, _, quoted) = FrontMatter.split("---\ntitle: \"C# tips\" # a comment\nsummary: C# tips\n---\n", path: "a.md")
        #expect(quoted.isEmpty)
    }

    @Test func indentedDashesInABlockScalarDoNotCloseTheFrontMatter() {
        let (frontMatter, body, _, diagnostics) = FrontMatter.split("---\ntitle: T\nsummary: |\n  first\n  ---\n  second\nid: x1\n---\nBody\n", path: "a.md")
        #expect(diagnostics.isEmpty)
        #expect(frontMatter.id == "x1")
        #expect(frontMatter.summary == "first\n---\nsecond")
        #expect(body == "Body\n")
    }

    @Test func aliasBombAsAKeyIsRefusedQuickly() {
        var yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (name, previous) in zip(["b", "c", "d", "e", "f", "g", "h", "i"], ["a", "b", "c", "d", "e", "f", "g", "h"]) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "? *i\n: 1\n"
        let (_, _, _, diagnostics) = FrontMatter.split("---\n" + yaml + "---\n", path: "a.md")
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(diagnostics.first?.message.contains("complex keys") == true)
    }

    @Test(arguments: ["2024-01-01<script>", "2026-13-01", "2026-04-31", "2025-02-29", "2026-1-5", "2026-10-14T25:00Z", "2026-10-14T10:61",
                      "2026-10-14T10:00:00+15:00", "2026-10-14T10:00:60Z", "2026-10-14T10", "yesterday", "2026-10-14T10:00:00.Z"])
    func anInvalidUpdatedDateIsAnErrorAtItsKey(_ value: String) {
        let (frontMatter, _, _, diagnostics) = FrontMatter.split("---\ntitle: T\nupdated: \"\(value)\"\n---\n", path: "a.md")
        #expect(frontMatter.updated == nil, "\(value)")
        #expect(diagnostics.map(\.severity) == [.error], "\(value)")
        #expect(diagnostics.map(\.location) == [SourceLocation(line: 3, column: 10)], "\(value)")
    }

    @Test(arguments: [
        ("2024-02-29", "2024-02-29"), ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z"), ("2024-01-01 10:00:00+02:00", "2024-01-01T10:00:00+02:00"),
        ("2024-01-01T10:00", "2024-01-01T10:00Z"), ("2024-01-01T10:00:00.250-05:30", "2024-01-01T10:00:00.250-05:30"),
    ])
    func aDateTimeKeepsItsTimeAsAW3CDatetime(_ value: String, _ expected: String) {
        let (frontMatter, _, _, diagnostics) = FrontMatter.split("---\ntitle: T\nupdated: \(value)\n---\n", path: "a.md")
        #expect(frontMatter.updated == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test func keysOfTheWrongShapeAreWarnings() {
        let (_, _, _, diagnostics) = FrontMatter.split("---\ntitle: [a, b]\nid: [1]\naliases: [[x]]\nrelated: {a: b}\n---\n", path: "a.md")
        #expect(diagnostics.map(\.location.line) == [2, 3, 4, 5])
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test func unclosedFrontMatterIsAnError() {
        let (_, _, _, diagnostics) = FrontMatter.split("---\ntitle: x\n\nBody\n", path: "a.md")
        #expect(diagnostics.map(\.location) == [SourceLocation(line: 1, column: 1)])
        #expect(diagnostics.first?.message.contains("no closing '---'") == true)
    }

    @Test func badValuesAreReportedAtTheirKey() {
        let (_, _, _, diagnostics) = FrontMatter.split("---\ntitle: x\nid: has space\ndraft: maybe\nupdated: 2026-13-01\n---\n", path: "a.md")
        #expect(diagnostics.map(\.location.line) == [3, 4, 5])
        #expect(diagnostics.map(\.severity) == [.error, .error, .error])
    }
}
