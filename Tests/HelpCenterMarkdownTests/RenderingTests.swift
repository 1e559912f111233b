import HelpCenterMarkdown
import Testing

/// Exact-HTML golden tests: each Markdown feature, rendered as the build renders it.
@Suite struct RenderingTests {
    func html(_ markdown: String, rawHTML: RawHTMLPolicy = .sanitize) -> String {
        HTMLRenderer(rawHTML: rawHTML).render(MarkdownDocument(parsing: markdown))
    }

    @Test func commonMarkBlocksAndInlines() {
        #expect(html("Hello *world* & **you**\n\n- a\n- b\n\n1. x\n2. y\n\n---\n\n```swift\nlet a = \"<b>\"\n```\n") == """
            <p>Hello <em>world</em> &amp; <strong>you</strong></p>
            <ul>
            <li>a</li>
            <li>b</li>
            </ul>
            <ol>
            <li>x</li>
            <li>y</li>
            </ol>
            <hr />
            <pre><code class="language-swift">let a = &quot;&lt;b&gt;&quot;
            </code></pre>

            """)
    }

    @Test func headingsGetGitHubSlugsAndASelfLink() {
        #expect(html("## What is FOB / EXW?\n") == """
            <h2 id="what-is-fob--exw">What is FOB / EXW?<a class="anchor" href="#what-is-fob--exw" aria-label="Link to this section: What is FOB / EXW?">#</a></h2>

            """)
    }

    @Test func customHeadingIDIsHonouredAndRemovedFromTheText() {
        let document = MarkdownDocument(parsing: "## Payment methods {#pay}\n")
        #expect(document.headings.map(\.id) == ["pay"])
        #expect(HTMLRenderer().render(document).hasPrefix("<h2 id=\"pay\">Payment methods<a class=\"anchor\" href=\"#pay\""))
    }

    @Test func duplicateHeadingsGetNumberedSuffixes() {
        let document = MarkdownDocument(parsing: "## FAQ\n\n## FAQ\n\n## FAQ-1\n\n## FAQ\n")
        #expect(document.headings.map(\.id) == ["faq", "faq-1", "faq-1-1", "faq-2"])
    }

    @Test func tenThousandIdenticalHeadingsAllGetUniqueIDs() {
        let source = String(repeating: "## Same heading\n\n", count: 10_000)
        let document = MarkdownDocument(parsing: source)
        #expect(document.headings.count == 10_000)
        #expect(Set(document.headings.map(\.id)).count == 10_000)
        #expect(document.headings.last?.id == "same-heading-9999")
    }

    @Test func unicodeHeadingsKeepTheirLetters() {
        let document = MarkdownDocument(parsing: "## Über die Rückgabe\n\n## 注文のキャンセル\n")
        #expect(document.headings.map(\.id) == ["über-die-rückgabe", "注文のキャンセル"])
    }

    @Test func pipeTableWithAlignmentEscapedPipesAndCode() {
        #expect(html("| Fee | Rate \\| cap | Code |\n| :-- | :-: | --: |\n| Card | 2.9% | `a|b` |\n") == """
            <div class="table-wrapper" tabindex="0" role="region" aria-label="Table"><table>
            <thead>
            <tr>
            <th class="align-left">Fee</th>
            <th class="align-center">Rate | cap</th>
            <th class="align-right">Code</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td class="align-left">Card</td>
            <td class="align-center">2.9%</td>
            <td class="align-right"><code>a|b</code></td>
            </tr>
            </tbody>
            </table></div>

            """)
    }

    @Test func tableInsideABlockQuoteAndShortRowsArePadded() {
        #expect(html("> | a | b |\n> |---|---|\n> | 1 |\n") == """
            <blockquote>
            <div class="table-wrapper" tabindex="0" role="region" aria-label="Table"><table>
            <thead>
            <tr>
            <th>a</th>
            <th>b</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>1</td>
            <td></td>
            </tr>
            </tbody>
            </table></div>
            </blockquote>

            """)
    }

    @Test func tableThatDoesNotStartAParagraphIsTextWithAWarning() {
        let document = MarkdownDocument(parsing: "Intro line\n| a | b |\n|---|---|\n")
        #expect(HTMLRenderer().render(document).hasPrefix("<p>Intro line"))
        #expect(document.diagnostics.contains { $0.message.contains("add a blank line before it") && $0.location.line == 2 })
    }

    @Test func everyCalloutKindRenders() {
        for kind in MarkdownNode.CalloutKind.allCases {
            #expect(html("> [!\(kind.rawValue.uppercased())]\n> Body *text*\n") == """
                <div class="callout callout-\(kind.rawValue)" role="note">
                <p class="callout-title">\(kind.title)</p>
                <p>Body <em>text</em></p>
                </div>

                """)
        }
    }

    @Test func unknownCalloutKindStaysABlockQuoteWithAWarning() {
        let document = MarkdownDocument(parsing: "> [!INFO]\n> x\n")
        #expect(HTMLRenderer().render(document).hasPrefix("<blockquote>"))
        #expect(document.diagnostics.map(\.location) == [SourceLocation(line: 1, column: 3)])
    }

    @Test func linksInsideCodeStayByteIdentical() {
        let resolver = HTMLRenderer { destination, _ in destination == "faq.md" ? "/faq/" : destination }
        let document = MarkdownDocument(parsing: "`[x](faq.md)` and [x](faq.md)\n\n```\n[x](faq.md) <a href=\"javascript:x\">\n```\n")
        #expect(resolver.render(document) == """
            <p><code>[x](faq.md)</code> and <a href="/faq/">x</a></p>
            <pre><code>[x](faq.md) &lt;a href=&quot;javascript:x&quot;&gt;
            </code></pre>

            """)
    }

    @Test(arguments: [
        "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&#58;alert(1))", "[x](<java\tscript:alert(1)>)", "[x](%6Aavascript:alert(1))",
        "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD4=)", "![x](javascript:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)", "<javascript:alert(1)>",
    ])
    func javascriptURLsNeverReachThePage(_ markdown: String) {
        let document = MarkdownDocument(parsing: markdown)
        let output = HTMLRenderer().render(document).lowercased()
        #expect(!output.contains("<a"))
        #expect(!output.contains("<img"))
        #expect(!output.contains("href"))
        #expect(document.diagnostics.contains { $0.severity == .error })
    }

    @Test func rawHTMLIsSanitizedThroughTheAllowList() {
        let markdown = "<script>alert(1)</script>\n\nHi <span class=\"x\" onclick=\"steal()\">there</span> <a href=\"javascript:x\">a</a> <img src=x onerror=alert(1)>\n"
        let output = html(markdown)
        #expect(output == "\n<p>Hi <span>there</span> <a>a</a> <img src=\"x\"></p>\n")
        let warnings = MarkdownDocument(parsing: markdown).rawHTMLDiagnostics(policy: .sanitize)
        #expect(warnings.count == 4)
        #expect(warnings[0].message.contains("<script>"))
    }

    @Test func rawHTMLCanBeDroppedOrTrusted() {
        let markdown = "<div class=\"x\">box</div>\n\nA <kbd>K</kbd>\n"
        #expect(html(markdown, rawHTML: .drop) == "<p>A K</p>\n")
        #expect(html(markdown, rawHTML: .trusted) == "<div class=\"x\">box</div>\n<p>A <kbd>K</kbd></p>\n")
        #expect(MarkdownDocument(parsing: markdown).rawHTMLDiagnostics(policy: .drop).count == 3)
        #expect(MarkdownDocument(parsing: markdown).rawHTMLDiagnostics(policy: .trusted).isEmpty)
    }

    @Test func rawHTMLSpanningMarkdownBlocksStaysWellFormed() {
        #expect(html("<details>\n<summary>More</summary>\n\n*inside*\n\n</details>\n") ==
            "<details>\n<summary>More</summary>\n<p><em>inside</em></p>\n</details>\n")
    }

    @Test func deeplyNestedRawHTMLKeepsTheRestOfTheArticle() {
        for depth in [256, 3_000] {
            let markdown = "x " + String(repeating: "<span>", count: depth) + " deep " + String(repeating: "</span>", count: depth) + "\n\nAfter paragraph\n\n## Heading after\n"
            let output = html(markdown)
            #expect(output.contains("deep"))
            #expect(output.contains("<p>After paragraph</p>"))
            #expect(output.contains("<h2 id=\"heading-after\">"))
        }
    }

    /// Tens of thousands of levels of each element kind the sanitizer keeps, unwraps or drops, closed and
    /// unclosed: no stack overflow (tests run on Swift concurrency's small-stack threads, as `serve`
    /// builds), the text kept, at most ``HTMLSanitizer/maximumDepth`` elements open, one warning.
    @Test(arguments: ["div", "span", "blockquote", "ul", "details", "font", "section", "table"], [true, false])
    func tensOfThousandsOfNestedRawHTMLElementsAreFlattened(_ tag: String, closed: Bool) {
        let depth = 60_000
        let markdown = "<div>\n" + String(repeating: "<\(tag)>", count: depth) + "deep text" + (closed ? String(repeating: "</\(tag)>", count: depth) : "")
            + "\n</div>\n\nAfter paragraph\n"
        let document = MarkdownDocument(parsing: markdown)
        let output = HTMLRenderer().render(document)
        #expect(output.contains("deep text"), "\(tag)")
        #expect(output.components(separatedBy: "<\(tag)>").count - 1 <= HTMLSanitizer.maximumDepth, "\(tag)")
        let warnings = document.rawHTMLDiagnostics(policy: .sanitize)
        #expect(warnings.count <= 2, "\(tag): one warning per raw HTML block, each naming what was removed once")
        #expect(warnings.allSatisfy { $0.message.utf8.count < 1_000 }, "\(tag)")
        if tag != "font" && tag != "section" && tag != "table" {
            #expect(warnings.contains { $0.message.contains("nested deeper than \(HTMLSanitizer.maximumDepth) levels") }, "\(tag)")
        }
    }

    @Test func tenThousandDroppedScriptsInARowAreOneWarning() {
        let markdown = "<div>\n" + String(repeating: "<script>x</script><b onclick=\"y\">t</b>", count: 10_000) + "\n</div>\n"
        let warnings = MarkdownDocument(parsing: markdown).rawHTMLDiagnostics(policy: .sanitize)
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.components(separatedBy: "<script>").count == 2)
    }

    @Test func rawHTMLAloneInATableCellIsHTMLNotText() {
        #expect(html("| a |\n|---|\n| <br> |\n").contains("<td><br></td>"))
    }

    @Test func unclosedHTMLCommentIsReported() {
        #expect(MarkdownDocument(parsing: "Text\n\n<!-- open\n\nhidden\n").diagnostics.map(\.location) == [SourceLocation(line: 3, column: 1)])
    }

    @Test func placeholderInAngleBracketsIsShownAsText() {
        let markdown = "Replace **<your name>** in /app/<project id>/\n"
        #expect(html(markdown) == "<p>Replace <strong>&lt;your name&gt;</strong> in /app/&lt;project id&gt;/</p>\n")
        #expect(MarkdownDocument(parsing: markdown).rawHTMLDiagnostics(policy: .sanitize).count == 2)
    }

    @Test func fiftyThousandNestedBlockQuotesRenderWithoutCrashingAndKeepTheText() {
        let document = MarkdownDocument(parsing: String(repeating: ">", count: 50_000) + " deep text\n")
        let output = HTMLRenderer().render(document)
        #expect(output.contains("deep text"))
        #expect(output.components(separatedBy: "<blockquote>").count - 1 == CommonMarkConverter.maximumNesting - 1)
        #expect(document.diagnostics.contains { $0.message.contains("flattened") })
    }

    @Test func deeplyNestedListsAndEmphasisDoNotCrash() {
        let lists = (0..<5_000).map { String(repeating: "  ", count: $0) + "- item \($0)" }.joined(separator: "\n")
        #expect(HTMLRenderer().render(MarkdownDocument(parsing: lists)).contains("item 4999"))
        let emphasis = String(repeating: "*a ", count: 20_000) + String(repeating: "b*", count: 20_000)
        #expect(!HTMLRenderer().render(MarkdownDocument(parsing: emphasis)).isEmpty)
    }

    @Test func footnotesAreReportedAsUnsupportedWithTheirColumn() {
        let document = MarkdownDocument(parsing: "Text with a note[^1].\n", lineOffset: 4)
        #expect(document.diagnostics.count == 1)
        #expect(document.diagnostics.first?.location == SourceLocation(line: 5, column: 17))
    }

    @Test func footnoteTurnedIntoALinkByItsDefinitionIsReported() {
        let document = MarkdownDocument(parsing: "See the source[^1].\n\n[^1]: https://example.com/source\n")
        #expect(document.diagnostics.map(\.location) == [SourceLocation(line: 1, column: 15)])
    }

    @Test func linksAreListedWithLineAndColumnAfterTheFrontMatter() {
        let document = MarkdownDocument(parsing: "Intro.\n\nSee [the guide](guide.md#setup) and ![logo](img/logo.png).\n", lineOffset: 3)
        #expect(document.links == [
            MarkdownDocument.Link(destination: "guide.md#setup", isImage: false, location: SourceLocation(line: 6, column: 5)),
            MarkdownDocument.Link(destination: "img/logo.png", isImage: true, location: SourceLocation(line: 6, column: 37)),
        ])
    }

    @Test func firstH1BecomesTheTitleAndIsNotRenderedTwice() {
        var document = MarkdownDocument(parsing: "# Shipping <rates> & fees\n\nBody\n")
        #expect(document.removeFirstTitleHeading() == "Shipping <rates> & fees")
        #expect(HTMLRenderer().render(document) == "<p>Body</p>\n")
    }

    @Test func hrefsArePercentEncodedOnce() {
        #expect(html("[a](/caf%C3%A9/a b \"t\")\n").isEmpty == false)
        #expect(html("[a](</café/a b>)\n") == "<p><a href=\"/caf%C3%A9/a%20b\">a</a></p>\n")
        #expect(html("[a](/caf%C3%A9/?q=1&r=2)\n") == "<p><a href=\"/caf%C3%A9/?q=1&amp;r=2\">a</a></p>\n")
    }
}
