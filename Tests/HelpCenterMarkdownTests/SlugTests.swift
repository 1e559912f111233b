import HelpCenterMarkdown
import Testing

@Suite struct SlugTests {
    @Test(arguments: [
        ("Licensing & Counterfeits", "licensing-counterfeits"),
        ("Account Management", "account-management"),
        ("  Café   Orders!! ", "café-orders"),
        ("注文 FAQ", "注文-faq"),
        ("mdva-39605 expiration date", "mdva-39605-expiration-date"),
        ("___", ""),
    ])
    func pathSegments(_ input: String, _ expected: String) {
        #expect(Slug.pathSegment(input) == expected)
    }

    @Test func decomposedAccentsGiveTheSameSegmentAsComposedOnes() {
        #expect(Slug.pathSegment("Cafe\u{301}") == Slug.pathSegment("Caf\u{E9}"))
    }

    @Test(arguments: [
        ("Step 1: Open the reset page", "step-1-open-the-reset-page"),
        ("Why can't I receive the code?", "why-cant-i-receive-the-code"),
        ("snake_case stays", "snake_case-stays"),
        ("What is FOB / EXW?", "what-is-fob--exw"),
        ("1\u{FE0F}\u{20E3} Setup \u{1F44D}\u{1F3FD}", "1-setup-"),  // keycap, variation selector, skin tone
        ("\u{1F469}\u{200D}\u{1F4BB} Team", "-team"),  // zero-width joiner sequence
        ("Flags \u{1F1F3}\u{1F1F4}\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}", "flags-"),  // regional indicators, tag sequence
        ("\u{2764}\u{FE0F} Caf\u{E9}", "-café"),  // text-style symbol with an emoji variation selector
        ("Cafe\u{301} \u{301}alone", "café-alone"),  // a mark is kept only after a letter
    ])
    func githubAnchors(_ input: String, _ expected: String) {
        #expect(Slug.githubAnchor(input) == expected)
    }

    @Test func sluggerSkipsTakenSuffixes() {
        var slugger = HeadingSlugger()
        slugger.reserve("a-1")
        #expect(slugger.unique("a") == "a")
        #expect(slugger.unique("a") == "a-2")
        #expect(slugger.unique("") == "section")
    }
}

@Suite struct ReservedHeadingIDTests {
    @Test func aHeadingNamedLikeAThemeElementGetsAnotherID() {
        for id in HeadingSlugger.reservedIDs.sorted() {
            let title = id.replacingOccurrences(of: "-", with: " ")
            let document = MarkdownDocument(parsing: "## \(title)\n\n## Other {#\(id)}\n")
            #expect(document.headings.count == 2)
            #expect(document.headings.allSatisfy { !HeadingSlugger.isReserved($0.id) }, "\(id): \(document.headings.map(\.id))")
            #expect(document.diagnostics.contains { $0.message.contains("'\(id)' is used by the page") }, "\(id)")
        }
    }

    @Test func aHeadingStartingLikeAScriptMadeIDIsPrefixed() {
        let document = MarkdownDocument(parsing: "## Search option 1\n\n## Search option all\n")
        #expect(document.headings.map(\.id) == ["section-search-option-1", "section-search-option-all"])
    }
}
