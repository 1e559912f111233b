import Foundation
import HelpCenterContent
@testable import HelpCenterServer
import HelpCenterSite
import HelpCenterTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 24's high finding: a content change must never redirect the server's own routes or send a
/// browser to another site. Aliases are checked by the build, the redirect table is JSON, and the
/// server keeps only same-site rules outside its own routes, whoever wrote the file.
@Suite struct RedirectSafetyTests {
    static let hostileAliases = [
        "/z%0A/account/sign-in http:evil.example/phish",  // the finding: a line break, then a rule
        "/ https:evil.example/y",  // a space, then a scheme-only cross-origin target
        "/x%0D/account/sign-in%20https:evil.example",  // CR
        "/x%09/y/",  // tab
        "/x%E2%80%A8/account/sign-in/",  // LINE SEPARATOR
        "/x%C2%A0y/",  // no-break space
        "/x%E2%80%AEy/",  // right-to-left override
        "/x%250A/account/sign-in%2520https:evil.example",  // encoded twice
        "http:evil.example/phish",  // scheme
        "//evil.example/phish/",  // host
        "/%2F%2Fevil.example/",  // host, encoded
        "/account/sign-in/",  // the server's own routes
        "/api/search/",
        "/_watch/events/",
        "/x\\y/",  // backslash
        "/old page/",  // a space
    ]

    @Test(arguments: hostileAliases)
    func anAliasThatIsNotASameSitePathIsAnErrorWithItsLocation(_ alias: String) throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A\naliases:\n  - '\(alias)'\n  - /fine/old/")])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        let errors = tree.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(alias)")
        #expect(errors.first.map { "\($0)" }?.contains("c/a.md:4:") == true, "\(errors)")
        #expect(errors.first.map { "\($0)" }?.contains("\n") == false, "a diagnostic stays on one line")
        #expect(tree.redirects.keys.sorted() == ["fine/old/index.html"], "\(alias)")
    }

    @Test func theRedirectTableIsJSONWithEncodedPathsAndNonASCIIAliasesAnswer301() async throws {
        try await ServerHarness.withSite(["c/a.md": TemporaryContent.article("title: A\nid: 7\naliases: [/alt/café/, '/alt/%C3%BCber/']")]) { browser, site in
            let json = try String(contentsOf: site.appendingPathComponent(RedirectTable.fileName), encoding: .utf8)
            #expect(json.contains("\"from\" : \"/alt/caf%C3%A9/\""), "\(json)")
            #expect(json.contains("\"from\" : \"/alt/%C3%BCber/\""), "\(json)")
            let text = try String(contentsOf: site.appendingPathComponent("_redirects"), encoding: .utf8)
            #expect(text.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 3 }, "\(text)")
            for uri in ["/alt/caf%C3%A9/", "/alt/caf%c3%a9/", "/alt/caf%C3%A9", "/alt/%C3%BCber/", "/alt/%c3%bcber", "/a/7/"] {
                let response = try await browser.get(uri)
                #expect(response.status == .movedPermanently, "\(uri)")
                #expect(response.headers[.location] == "/c/a/", "\(uri)")
            }
        }
    }

    @Test func aHandWrittenRedirectTableCannotTakeTheServersRoutesOrLeaveTheSite() {
        let hostile = RedirectTable(redirects: [
            .init(from: "/account/sign-in/", to: "/c/a/"),
            .init(from: "/api/search/", to: "/c/a/"),
            .init(from: "/", to: "/c/a/"),
            .init(from: "/x/", to: "https://evil.example/"),
            .init(from: "/y/", to: "//evil.example/"),
            .init(from: "/z/", to: "/\\evil.example/"),
            .init(from: "/w/", to: "https:evil.example"),
            .init(from: "/v/", to: "/%2F%2Fevil.example/"),
            .init(from: "/u/", to: "/c/a/\r\nSet-Cookie: x=1"),
            .init(from: "/help/t/", to: "/c/a/"),
            .init(from: "/ok/", to: "/c/a/"),
            // Found by a review helper: dot segments in targets, sources standing for built files.
            .init(from: "/d/", to: "/.//evil.example/"),
            .init(from: "/e/", to: "/x/../..//evil.example/"),
            .init(from: "/f/", to: "/%2E//evil.example/"),
            .init(from: "/robots.txt", to: "/c/a/"),
            .init(from: "/index.html", to: "/c/a/"),
        ])
        let loaded = RedirectTable.load(hostile.json(), prefix: "")
        #expect(loaded.rules == ["/help/t/": "/c/a/", "/ok/": "/c/a/"])
        #expect(loaded.dropped == 14)
        #expect(RedirectTable.load(hostile.json(), prefix: "/help").rules == ["/help/t/": "/c/a/"], "sources outside the prefix are dropped")
    }

    @Test func theServerReadsOnlySafeRules() async throws {
        try await ServerHarness.withSite(["c/a.md": TemporaryContent.article("title: A")], prepare: { site in
            try RedirectTable(redirects: [.init(from: "/account/sign-in/", to: "/c/a/"), .init(from: "/x/", to: "https://evil.example/"),
                                          .init(from: "/ok/", to: "/c/a/")])
                .json().write(to: site.appendingPathComponent(RedirectTable.fileName))
            // The text format is no longer read: lines injected there change nothing.
            try "/account/sign-in http:evil.example/phish 301\n/ https:evil.example/y 301\n".write(
                to: site.appendingPathComponent("_redirects"), atomically: true, encoding: .utf8)
        }) { browser, _ in
            let signIn = try await browser.get("/account/sign-in")
            #expect(signIn.status == .ok && signIn.headers[.location] == nil)
            let home = try await browser.get("/")
            #expect(home.status == .ok && home.headers[.location] == nil)
            #expect(try await browser.get("/x/").headers[.location] == nil)
            #expect(try await browser.get("/ok/").headers[.location] == "/c/a/")
        }
    }

    @Test func sitePathRefusesEveryHostileAliasAndKeepsOrdinaryOnes() throws {
        for alias in Self.hostileAliases {
            #expect(throws: SitePath.Problem.self, "\(alias)") { try SitePath.redirectSource(alias) }
        }
        #expect(try SitePath.redirectSource("/old/café/page.html") == ["old", "café", "page.html"])
    }

    /// Issue 24, finding 2 and its review: HTML asked for by file name (an attachment, published only
    /// under `raw_html: trusted`) is sandboxed like SVG and XML, so a script attachment it loads cannot run.
    @Test func htmlAttachmentsAreSandboxedAndPagesAreNot() async throws {
        try await ServerHarness.withSite([
            "site.yml": "raw_html: trusted\n",
            "c/a.md": TemporaryContent.article("title: A", "[form](files/c.html) [script](files/c.js) [pic](files/p.svg)\n"),
            "c/files/c.html": "<html><body><script src=\"c.js\"></script></body></html>",
            "c/files/c.js": "document.body.dataset.pwned = location.origin",
            "c/files/p.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        ]) { browser, _ in
            for path in ["/c/files/c.html", "/c/files/p.svg"] {
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("sandbox") == true, "\(path)")
            }
            let page = try await browser.get("/c/a/")
            #expect(page.headers[.contentSecurityPolicy]?.contains("sandbox") == false)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }

    /// The review: votes name articles only, and a permalink counts as its article.
    @Test func votesCountOnlyForArticlesAndPermalinksCountAsTheirArticle() async throws {
        try await ServerHarness.withSite(["c/a.md": TemporaryContent.article("title: A\nid: 7")]) { browser, _ in
            for (path, expected) in [("/c/a/", HTTPResponse.Status.noContent), ("/a/7/", .noContent), ("/c/", .badRequest), ("/search/", .badRequest),
                                     ("/", .badRequest), ("/a/8/", .badRequest)] {
                let status = try await browser.client.execute(uri: "/api/feedback", method: .post, headers: [.contentType: "application/json"],
                                                              body: ByteBuffer(string: #"{"article":"\#(path)","helpful":true}"#)).status
                #expect(status == expected, "\(path)")
            }
        }
    }
}
