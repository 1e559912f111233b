import Foundation
import HelpCenterContent
import HelpCenterMarkdown
@testable import HelpCenterSearch
import HelpCenterTestSupport
import Testing

/// The ranking and matching rules, each on a small hand-written index.
@Suite struct SearchIndexTests {
    func document(_ title: String, _ body: String, heading: String = "", anchor: String = "", category: String = "Orders",
                  summary: String = "", tags: [String] = []) -> SearchDocument {
        var sections = [SearchDocument.Section(heading: "", anchor: "", text: body)]
        if !heading.isEmpty { sections.append(SearchDocument.Section(heading: heading, anchor: anchor, text: body)) }
        return SearchDocument(title: title, url: "/" + Slug(title) + "/", categories: [category], summary: summary, tags: tags, sections: sections)
    }

    func Slug(_ title: String) -> String { title.lowercased().split(whereSeparator: { !$0.isLetter }).joined(separator: "-") }

    func index(_ documents: [SearchDocument]) -> SearchIndex {
        SearchIndex(documents: documents, categories: [SearchIndex.Category(title: "Orders", url: "/orders/"), SearchIndex.Category(title: "Payments", url: "/payments/")])
    }

    func titles(_ response: SearchResponse) -> [String] { response.results.map(\.title) }

    @Test func titleMatchOutranksBodyRepetition() {
        let repeated = String(repeating: "Refund refund refunds refunded. ", count: 40)
        let search = index([
            document("Shipping overview", repeated),
            document("Refund timeline", "How long the money takes to come back."),
            document("Payment methods", "Cards and bank transfers. " + String(repeating: "refund ", count: 15)),
        ])
        #expect(titles(search.search("refund")).first == "Refund timeline")
    }

    @Test func everyPrefixOfCancellationFromCanFindsIt() {
        let search = index([
            document("What is the order cancellation policy?", "Suppliers may cancel before shipment."),
            document("Canvas bags", "Tote bags made of canvas."),
            document("Payment methods", "Cards."),
        ])
        let word = "cancellation"
        for length in 3...word.count {
            let prefix = String(word.prefix(length))
            #expect(titles(search.search(prefix)).contains("What is the order cancellation policy?"), "prefix \(prefix)")
        }
        #expect(search.search("ca").results.isEmpty == false)
    }

    @Test func aPrefixStandsForAtMostThirtyTwoWordsShortestFirstAndNotForCompounds() {
        // 40 words starting with "order" of growing length, and 100 codes `order_N` (compounds).
        let words = (1...40).map { "order" + String(repeating: "x", count: $0) }
        let codes = (1...100).map { "order_\($0)" }
        let search = index([
            document("Order codes", codes.joined(separator: " ")),
            document("Long words", words.joined(separator: " ")),
        ])
        let terms = search.expansions(of: "ord", word: "ord", prefix: true, typo: true)
        #expect(terms.count == SearchIndex.maximumPrefixTerms)
        #expect(terms.keys.allSatisfy { !$0.contains("_") })
        // `order` and the 31 shortest `orderx…` words; the 33rd shortest word is left out.
        #expect(terms["order"] != nil && terms[words[SearchIndex.maximumPrefixTerms - 2]] != nil)
        #expect(terms[words[SearchIndex.maximumPrefixTerms - 1]] == nil)
        // The codes' articles are still found through the part `order`; a prefix with a joiner reaches the codes.
        #expect(titles(search.search("order")).contains("Order codes"))
        #expect(search.expansions(of: "order_9", word: "order_9", prefix: true, typo: false).keys.sorted() == ["order_9", "order_90", "order_91", "order_92", "order_93", "order_94", "order_95", "order_96", "order_97", "order_98", "order_99"])
    }

    @Test func typosAreCorrectedWithinTheirDistanceAndRankBelowExactMatches() {
        let search = index([
            document("Invoice download", "Get your invoice as a PDF."),
            document("Invoices and receipts", "Every order has an invoice."),
            document("Verification codes", "Enter the verification code."),
        ])
        #expect(!search.search("invoce").results.isEmpty)          // 6 letters, 1 edit
        #expect(search.search("invxxe").results.isEmpty)          // 6 letters, 2 edits: too many
        #expect(!search.search("verifcaton").results.isEmpty)     // 10 letters, 2 edits
        #expect(search.search("cde").results.isEmpty)             // 3 letters: no correction
        let exact = search.search("invoice")
        let corrected = search.search("invoce")
        #expect(exact.results.first!.score > corrected.results.first!.score)
    }

    @Test func allWordsAreRequiredThenAnyWordIsAccepted() {
        let search = index([
            document("Bank transfer reference", "Use the reference on the transfer."),
            document("Card payments", "Pay by card."),
        ])
        let both = search.search("bank transfer")
        #expect(titles(both) == ["Bank transfer reference"])
        #expect(!both.matchedAnyTerm)
        let either = search.search("card transfer")
        #expect(either.matchedAnyTerm)
        #expect(Set(titles(either)) == ["Bank transfer reference", "Card payments"])
    }

    @Test func categoryFilterWithCountsPerCategory() {
        let search = index([
            document("Refund to card", "Refund by card.", category: "Payments"),
            document("Refund after return", "Refund after a return.", category: "Orders"),
            document("Refund timeline", "Refunds take days.", category: "Payments"),
        ])
        let all = search.search("refund")
        #expect(all.categories.map { "\($0.title)=\($0.count)" } == ["Orders=1", "Payments=2"])
        let payments = search.search("refund", options: SearchOptions(category: "payments"))
        #expect(payments.total == 2)
        #expect(payments.results.allSatisfy { $0.categories == ["Payments"] })
        #expect(payments.categories == all.categories)
    }

    @Test func snippetsMarkMatchesAndEscapeEverythingElseOnce() {
        let search = index([document("Tags & markup", "Use <b>bold</b> & \"quotes\" when the refund & return arrive; refund&amp; stays text.")])
        let snippet = search.search("refund").results[0].snippet
        #expect(snippet.contains("<mark>refund</mark> &amp; return"))
        #expect(snippet.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(snippet.contains("&quot;quotes&quot;"))
        #expect(snippet.contains("<mark>refund</mark>&amp;amp;"))
        #expect(!snippet.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "").contains("<"))
    }

    @Test func listsNestedPastTheLimitAndTableCellsKeepTheirWordBoundariesInTheIndex() {
        let lists = (0..<200).map { String(repeating: "  ", count: $0) + "- item\($0)" }.joined(separator: "\n")
        let words = SearchDocument.text(of: MarkdownDocument(parsing: lists).root).split(whereSeparator: \.isWhitespace)
        #expect(words.count == 200, "\(words.suffix(5))")
        #expect(words.last == "item199")
        let table = SearchDocument.text(of: MarkdownDocument(parsing: "| a | b |\n|---|---|\n| left | right |\n").root)
        #expect(table.split(whereSeparator: \.isWhitespace) == ["a", "b", "left", "right"])
    }

    @Test func textInDecomposedUnicodeIsMarkedLikeComposedText() {
        let decomposed = "Your re\u{301}sume\u{301} and the cafe\u{301} menu"
        let search = index([document("Profiles", decomposed)])
        for query in ["résumé", "resume", "re\u{301}sume\u{301}"] {
            let snippet = search.search(query).results.first?.snippet ?? ""
            #expect(snippet.contains("<mark>re\u{301}sume\u{301}</mark>"), "\(query): \(snippet)")
        }
        #expect(search.search("café").results.first?.snippet.contains("<mark>cafe\u{301}</mark>") == true, "the mark never splits a letter from its accent")
    }

    @Test func aMatchUnderAHeadingLinksToItsAnchorWithSubResults() {
        var doc = document("Payment guide", "General text.")
        doc.sections = [
            SearchDocument.Section(heading: "", anchor: "", text: "General text."),
            SearchDocument.Section(heading: "Bank transfers", anchor: "bank-transfers", text: "Quote the reference."),
            SearchDocument.Section(heading: "Card payments", anchor: "card-payments", text: "No reference needed for cards."),
            SearchDocument.Section(heading: "Refunds", anchor: "refunds", text: "Money back."),
        ]
        let result = index([doc]).search("reference").results[0]
        #expect(result.url == "/payment-guide/#bank-transfers")
        #expect(result.subResults.map(\.url) == ["/payment-guide/#bank-transfers", "/payment-guide/#card-payments"])
    }

    @Test func cjkTextIsFoundByWordsOfTwoCharacters() {
        let search = index([
            document("注文のキャンセル", "注文をキャンセルするには、注文ページを開きます。"),
            document("退款时间", "退款通常需要五个工作日。"),
        ])
        #expect(titles(search.search("キャンセル")).first == "注文のキャンセル")
        #expect(titles(search.search("退款")).first == "退款时间")
    }

    @Test func indexFilesRoundTripToTheSameAnswers() throws {
        let original = index([
            document("Refund timeline", "Refunds take days.", heading: "Cards", anchor: "cards"),
            document("Résumé upload", "Upload a résumé or CV.", category: "Payments"),
            document("Two-factor sign-in", "Use 2FA codes.", tags: ["security"]),
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, data) in original.files() {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let loaded = try SearchIndex.load(from: folder)
        for query in ["refund", "resume", "2fa", "sign-in", "sec", "refnd"] {
            #expect(loaded.search(query) == original.search(query), "query \(query)")
        }
        #expect(!loaded.search("resume").results.isEmpty)
    }

    @Test func missingIndexIsAClearError() {
        #expect(throws: SearchIndex.LoadError.self) { try SearchIndex.load(from: URL(fileURLWithPath: "/nonexistent/search")) }
    }

    @Test func draftsAreNeverIndexed() throws {
        let folder = try TemporaryContent([
            "c/a.md": TemporaryContent.article("title: Published refund"),
            "c/b.md": TemporaryContent.article("title: Secret refund\ndraft: true"),
        ])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        let documents = tree.publishedArticles.map { SearchDocument(article: tree.articles[$0], in: tree) }
        #expect(titles(SearchIndex(documents: documents, categories: []).search("refund")) == ["Published refund"])
    }
}
