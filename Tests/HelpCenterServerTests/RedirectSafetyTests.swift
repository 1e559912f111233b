import Foundation
import HelpCenterContent
@testable import HelpCenterServer
import HelpCenterSite
import HelpCenterTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 24's high finding: a content change must never redirect the server's own routes or send a
/// browser to another site. Aliases are checked by the build, the redirect table is JSON, and the
/// server keeps only same-site rules outside its own routes, whoever wrote the file.
@Suite struct RedirectSafetyTests {
    /// Builds `files`, lets `prepare` change the built site, and serves it in process.
    func withSite(_ files: [String: String], prepare: (URL) throws -> Void = { _ in }, _ body: @escaping @Sendable (TestBrowser, URL) async throws -> Void) async throws {
        let folder = try TemporaryContent(files)
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        _ = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: folder.site)
        try prepare(folder.site)
        let site = folder.site
        let harness = try await ServerHarness.make(site: site)
        do {
            try await harness.application.test(.router) { client in try await body(TestBrowser(client), site) }
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }

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
        try await withSite(["c/a.md": TemporaryContent.article("title: A\nid: 7\naliases: [/alt/café/, '/alt/%C3%BCber/']")]) { browser, site in
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
        ])
        let loaded = RedirectTable.load(hostile.json(), prefix: "")
        #expect(loaded.rules == ["/help/t/": "/c/a/", "/ok/": "/c/a/"])
        #expect(loaded.dropped == 9)
        #expect(RedirectTable.load(hostile.json(), prefix: "/help").rules == ["/help/t/": "/c/a/"], "sources outside the prefix are dropped")
    }

    @Test func theServerReadsOnlySafeRules() async throws {
        try await withSite(["c/a.md": TemporaryContent.article("title: A")], prepare: { site in
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
}
