import Foundation
import HelpCenterMarkdown
import HelpCenterTestSupport
import Testing

/// Every `id` the default theme gives its own elements is one no heading can take
/// (``HeadingSlugger/reservedIDs`` and ``HeadingSlugger/reservedPrefixes`` kept complete).
@Suite struct ThemeIDTests {
    @Test func everyIDInTheDefaultThemeIsReservedFromHeadings() throws {
        let theme = TemporaryContent.repositoryRoot().appendingPathComponent("Sources/HelpCenterSite/Theme")
        var literal: Set<String> = []
        var prefixes: Set<String> = []
        // `id="x"` in templates, `id: "x"` / `id = "x"` / `.id = "x"` in scripts; `"x" +` marks a prefix of a numbered id.
        let pattern = try NSRegularExpression(pattern: #"\bid(?:="|\s*[:=]\s*")([^"{}]+)"(\s*\+)?"#)
        for name in try FileManager.default.contentsOfDirectory(atPath: theme.path).sorted() where name.hasSuffix(".mustache") || name.hasSuffix(".js") {
            let text = try String(contentsOf: theme.appendingPathComponent(name), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let id = String(text[Range(match.range(at: 1), in: text)!])
                if match.range(at: 2).location != NSNotFound { prefixes.insert(id) } else { literal.insert(id) }
            }
        }
        #expect(literal.contains("main") && literal.contains("site-search-input"), "the scan finds the theme's ids")
        for id in literal { #expect(HeadingSlugger.isReserved(id), "theme id '\(id)' is not in HeadingSlugger.reservedIDs") }
        for prefix in prefixes { #expect(HeadingSlugger.reservedPrefixes.contains(prefix), "theme id prefix '\(prefix)' is not reserved") }
        var slugger = HeadingSlugger()
        for id in literal.union(prefixes.map { $0 + "1" }) { #expect(slugger.unique(id) != id, "\(id)") }
    }
}
