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
