import Foundation
import HelpCenterContent
import HelpCenterSearch
import HelpCenterTestSupport
import Testing

/// Queries written from the articles of the sample content and of the two real help centers in
/// `Tests/Fixtures/corpora/` (copies of `../shared/corpora/`): exact titles, paraphrases, misspellings, accents, partial words and codes.
/// Each expects its article among the first three results.
enum Corpus {
    static func index(_ folder: URL) -> SearchIndex {
        let tree = try! ContentTree.load(from: folder.path)
        let documents = tree.publishedArticles.map { SearchDocument(article: tree.articles[$0], in: tree) }
        let categories = tree.topCategories.filter { tree.hasPublishedArticles(inCategory: $0) }.map {
            SearchIndex.Category(title: tree.categories[$0].title, url: tree.categories[$0].url)
        }
        return SearchIndex(documents: documents, categories: categories)
    }

    static let root = TemporaryContent.repositoryRoot()
    static let sample = index(root.appendingPathComponent("Content"))
    static let arduino = index(root.appendingPathComponent("Tests/Fixtures/corpora/arduino-help-center/content"))
    static let magento = index(root.appendingPathComponent("Tests/Fixtures/corpora/magento-support-kb/src"))
}

@Suite struct RelevanceTests {
    func expectTop3(_ index: SearchIndex, _ query: String, _ title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let top = index.search(query, options: SearchOptions(limit: 3)).results.map(\.title)
        #expect(top.contains(title), "'\(query)' → \(top)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ("What can I do if I forgot my password?", "What can I do if I forgot my password?"),
        ("reset password", "What can I do if I forgot my password?"),
        ("forgott pasword", "What can I do if I forgot my password?"),
        ("sms code not received", "Why can't I receive the SMS verification code?"),
        ("email verification code spam", "Why can't I receive the email verification code?"),
        ("refund how long", "When will I get my refund?"),
        ("FOB EXW CIF", "Trade terms glossary: what do FOB, EXW, CIF and DDP mean?"),
        ("customs duties", "Who pays customs duties and import taxes?"),
        ("damaged goods", "What should I do if my goods arrive damaged?"),
        ("cancellation policy", "What is the order cancellation policy?"),
        ("can", "What is the order cancellation policy?"),
        ("order protection covered", "Order Protection: what is covered?"),
    ])
    func sampleContent(_ query: String, _ title: String) {
        expectTop3(Corpus.sample, query, title)
    }

    @Test(arguments: [
        ("Create an Arduino account", "Create an Arduino account"),
        ("add boards ide", "Add boards to Arduino IDE"),
        ("avrdude error uploading", "'Error: avrdude' when uploading"),
        ("missing fqbn", "Compilation error: Missing FQBN (Fully Qualified Board Name)"),
        ("udev rules linux", "Fix udev rules on Linux"),
        ("ota upload error", "If you see an error when performing an Over-the-Air (OTA) upload"),
        ("tax exempt order", "How to make a tax-exempt order"),
        ("Serial.parseInt", "If you get unexpected zeroes using Serial.parseInt() or Serial.parseFloat()"),
        ("parseint zeroes", "If you get unexpected zeroes using Serial.parseInt() or Serial.parseFloat()"),
        ("flash memory stm32h747", "Reset the flash memory on STM32H747-based devices"),
        ("two step verification recover", "Recover an account protected by 2-Step Verification"),
        ("2-step verification enable", "Enable 2-Step Verification for your Arduino account"),
        ("arduino ide freezes", "If the Arduino IDE freezes or is unresponsive"),
        ("opla iot kit", "What is the difference between the Oplà IoT Kit and the Explore IoT Kit?"),
        ("oplà", "What is the difference between the Oplà IoT Kit and the Explore IoT Kit?"),
        ("accepted paymnet methods", "Accepted payment methods"),
        ("uninstal boards", "Uninstall boards from Arduino IDE"),
        ("ASEC-25-003", "ASEC-25-003 - Arduino-IDE v2.3.5 Resolves Multiple Vulnerabilities"),
        ("knock lock", "Starter Kit project 12 Knock Lock does not 'relock' after being opened"),
        ("mdns discovery", "About mdns-discovery"),
        ("distributor quotes", "Request and manage quotes as an Arduino Distributor"),
        ("micropython firmware", "Upload firmware for Arduino Lab for Micropython"),
    ])
    func arduinoHelpCenter(_ query: String, _ title: String) {
        expectTop3(Corpus.arduino, query, title)
    }

    @Test(arguments: [
        ("MDVA-32313", "MDVA-32313 patch: products added to wishlist with wrong configuration"),
        ("mdva 32313", "MDVA-32313 patch: products added to wishlist with wrong configuration"),
        ("elasticsearch service not running", "Elasticsearch service not running"),
        ("elastisearch not runing", "Elasticsearch service not running"),
        ("common php fatal errors", "Common PHP Fatal Errors and solutions"),
        ("fastly origin cloaking", "Fastly origin cloaking enablement FAQ"),
        ("web api more than 20 items", "Web API unable to process requests with more than 20 items in array"),
        ("ACSD-46815", "ACSD-46815: Static content deploy fails when using compact strategy"),
        ("salable quantity inconsistent", "MDVA-34102: inconsistent salable quantity"),
        ("rearrange cloud branches", "Rearrange cloud branches on Adobe Commerce"),
        ("free shipping rule multiple items", "MDVA-36138: free shipping rule not applied cart multiple items"),
        ("tracking link email 404", "MDVA-30265: tracking link in email returns 404 Page not Found"),
        ("swat tool admin", "MDVA-38526: Admin user is not able to access SWAT tool"),
        ("upsize instances", "Adobe Commerce on cloud: check if upsize for host’s instances is needed"),
    ])
    func magentoKnowledgeBase(_ query: String, _ title: String) {
        expectTop3(Corpus.magento, query, title)
    }

    @Test func accentedAndUnaccentedQueriesGiveTheSameResults() {
        #expect(Corpus.arduino.search("opla") == Corpus.arduino.search("oplà").withQuery("opla"))
        #expect(Corpus.arduino.search("Opla\u{300}").results.map(\.title) == Corpus.arduino.search("oplà").results.map(\.title))
    }

    @Test func codesAreFoundWholeAndByTheirParts() {
        #expect(Corpus.magento.search("MDVA-32313").results.first?.title == Corpus.magento.search("mdva 32313").results.first?.title)
        expectTop3(Corpus.magento, "32313", "MDVA-32313 patch: products added to wishlist with wrong configuration")
    }
}

extension SearchResponse {
    func withQuery(_ query: String) -> SearchResponse {
        var copy = self
        copy.query = query
        return copy
    }
}
