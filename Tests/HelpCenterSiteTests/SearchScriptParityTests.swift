import Foundation
import HelpCenterContent
import HelpCenterSearch
import HelpCenterSite
import HelpCenterTestSupport
import Testing

/// The pages' search-engine.js, run by Node.js over the files a real build wrote, answers every query
/// exactly as the Swift engine does: same analyzer, scores, order, counts, snippets and sub-results.
@Suite struct SearchScriptParityTests {
    static let queries = [
        "forgot password", "pasword", "cancelation", "can", "canc", "sms code", "refund how long", "FOB EXW",
        "sign-in", "2fa", "résumé", "customs duties", "Order Protection: what is covered?", "verifcation codes",
        "zzzz", "the", "bank transfer reference", "damaged goods arrive", "注文", "invoice pdf",
    ]

    /// The sample content built into a new temporary folder (the caller removes it).
    static func sampleSite() throws -> URL {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("parity-\(UUID().uuidString)")
        let tree = try ContentTree.load(from: TemporaryContent.repositoryRoot().appendingPathComponent("Content").path)
        _ = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: site)
        return site
    }

    /// What `search-engine.js`, run by Node.js over `site`, answers to `queries` (limit 10), then to
    /// "refund" in the category `order-payment` (limit 5).
    static func scriptResponses(site: URL, queries: [String]) throws -> [SearchResponse] {
        let script = """
            const fs = require("fs"), zlib = require("zlib"), path = require("path");
            const engine = require(process.argv[1]).createEngine(async (p) => {
              let data = fs.readFileSync(path.join(process.argv[2], "search", p));
              if (p.endsWith(".gz")) data = zlib.gunzipSync(data);
              return JSON.parse(data.toString("utf8"));
            });
            (async () => {
              const out = [];
              for (const q of JSON.parse(process.argv[3])) out.push(await engine.search(q, { limit: 10 }));
              out.push(await engine.search("refund", { limit: 5, category: "order-payment" }));
              process.stdout.write(JSON.stringify(out));
            })().catch((e) => { console.error(e); process.exit(1); });
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", "-e", script, site.appendingPathComponent("assets/search-engine.js").path, site.path,
                             String(decoding: try JSONEncoder().encode(queries), as: UTF8.self)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "node failed")
        return try JSONDecoder().decode([SearchResponse].self, from: data)
    }

    @Test func scriptAndSwiftEngineGiveIdenticalResponses() throws {
        let site = try Self.sampleSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let swiftIndex = try SearchIndex.load(from: site.appendingPathComponent("search"))
        let scripted = try Self.scriptResponses(site: site, queries: Self.queries)
        let expected = Self.queries.map { swiftIndex.search($0, options: SearchOptions(limit: 10)) }
            + [swiftIndex.search("refund", options: SearchOptions(category: "order-payment", limit: 5))]
        #expect(scripted.count == expected.count)
        for (js, swift) in zip(scripted, expected) {
            #expect(js == swift, "query '\(swift.query)'")
        }
        #expect(expected.contains { !$0.results.isEmpty && !$0.results[0].subResults.isEmpty })
    }

    /// Issue 15: text written in decomposed Unicode (NFD) is marked like NFC, by the script as by Swift.
    @Test func decomposedTextIsMarkedTheSameByTheScript() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: Profiles", "Your re\u{301}sume\u{301} and the cafe\u{301} menu.\n")])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        _ = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: folder.site)
        let swiftIndex = try SearchIndex.load(from: folder.site.appendingPathComponent("search"))
        let queries = ["résumé", "resume", "cafe"]
        let scripted = try Self.scriptResponses(site: folder.site, queries: queries)
        for (js, query) in zip(scripted, queries) {
            #expect(js == swiftIndex.search(query, options: SearchOptions(limit: 10)), "\(query)")
        }
        // Byte for byte, so that the mark is known to wrap the accents too (String comparison would accept NFC).
        let marked = Data("<mark>re\u{301}sume\u{301}</mark>".utf8)
        #expect(scripted.prefix(2).allSatisfy { Data(($0.results.first?.snippet ?? "").utf8).range(of: marked) != nil }, "\(scripted.map(\.results.first?.snippet))")
    }

    /// `/api/search` writes its JSON by hand: the bytes must be those of `JSONEncoder`.
    @Test func theHandWrittenJSONIsByteForByteJSONEncoders() throws {
        let site = try Self.sampleSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let index = try SearchIndex.load(from: site.appendingPathComponent("search"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var responses = Self.queries.map { index.search($0) }
        var odd = index.search("password")
        odd.query = "q\"\\/\u{1}\u{8}\u{C}\n\r\t\u{1F}\u{7F}\u{2028}é<>&"
        odd.results[0].score = 3
        responses.append(odd)
        // Strings are scanned 8 bytes at a time: each character that needs an escape (and the bytes
        // either side of the control range), at every offset of a run longer than 8 bytes.
        for special in ["\"", "\\", "\u{0}", "\u{1F}", "\t", "\n", " ", "!", "\u{7F}", "é"] {
            for offset in 0..<20 {
                var response = odd
                response.query = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 19 - offset)
                responses.append(response)
            }
        }
        for response in responses {
            #expect(String(decoding: response.json(), as: UTF8.self) == String(decoding: try encoder.encode(response), as: UTF8.self), "\(response.query)")
        }
    }
}
