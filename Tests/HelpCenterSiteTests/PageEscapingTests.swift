import Testing
@testable import HelpCenterSite

@Suite struct PageEscapingTests {
    @Test func escapesTheFiveCharactersOfHTMLTextAndQuotedAttributes() {
        let escaped = PageEscaping().escapeText(#"Tom & "Jerry" <b>'s</b> café"#)
        #expect(escaped == "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt; café")
    }

    @Test func leavesTextWithoutThemUnchanged() {
        #expect(PageEscaping().escapeText("Reset your password — 2 minutes, ünïcode") == "Reset your password — 2 minutes, ünïcode")
        #expect(PageEscaping().escapeText("") == "")
    }

    @Test func escapesACharacterFollowedByACombiningMark() {
        // One grapheme cluster (`<` + U+0301): swift-mustache's Character-keyed table left it as it was.
        #expect(PageEscaping().escapeText("<\u{301}script>") == "&lt;\u{301}script&gt;")
    }
}
