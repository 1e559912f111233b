import Foundation
import HelpCenterFeedback
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// "Was this article helpful?" and missed searches over HTTP, stored for `helpcenter report`.
@Suite struct FeedbackTests {
    func post(_ client: any TestClientProtocol, _ uri: String, _ json: String, headers extra: HTTPFields = [:]) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json)).status
    }

    @Test func votesAndMissedSearchesAreStoredAndReported() async throws {
        let harness = try await ServerHarness.make()
        defer { Task { await harness.close() } }
        try await harness.application.test(.router) { client in
            #expect(try await client.execute(uri: "/api/feedback", method: .head).status == .noContent)
            let article = "/account-management/password/forgot-password/"
            #expect(try await post(client, "/api/feedback", #"{"article":"\#(article)","helpful":true}"#) == .noContent)
            #expect(try await post(client, "/api/feedback", #"{"article":"\#(article)","helpful":false,"reason":"missing-information","comment":"What about SSO?"}"#) == .noContent)
            #expect(try await post(client, "/api/search-misses", #"{"query":"  Crypto Payment "}"#) == .noContent)
            let report = try await harness.feedback.articleReport(since: .distantPast)
            #expect(report.count == 1 && report[0].article == article && report[0].yes == 1 && report[0].no == 1 && report[0].helpfulPercent == 50)
            #expect(report[0].reasons.map(\.reason) == ["missing-information"] && report[0].comments == ["What about SSO?"])
            #expect(try await harness.feedback.missedSearches(since: .distantPast).map(\.query) == ["crypto payment"])
        }
    }

    /// Issue 24, finding 15: other spellings of an article's path count as that article.
    @Test func votesCountUnderTheArticlesOneSpelling() async throws {
        let harness = try await ServerHarness.make()
        defer { Task { await harness.close() } }
        try await harness.application.test(.router) { client in
            let spellings = ["/others-faq/accessibility/", "/others-faq//accessibility/", "/./others-faq/accessibility/", "//others-faq/accessibility/",
                             "/others-faq/%61ccessibility/"]
            for path in spellings {
                #expect(try await post(client, "/api/feedback", #"{"article":"\#(path)","helpful":true}"#) == .noContent, "\(path)")
            }
            #expect(try await post(client, "/api/feedback", #"{"article":"/others-faq/../x/","helpful":true}"#) == .badRequest)
            let report = try await harness.feedback.articleReport(since: .distantPast)
            #expect(report.map(\.article) == ["/others-faq/accessibility/"])
            #expect(report.first?.yes == spellings.count)
        }
    }

    @Test func badOrForeignFeedbackIsRefusedAndClientsAreLimited() async throws {
        let harness = try await ServerHarness.make()
        defer { Task { await harness.close() } }
        try await harness.application.test(.router) { client in
            let vote = #"{"article":"/a/101001/","helpful":true}"#
            #expect(try await client.execute(uri: "/api/feedback", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "article=/x/&helpful=true")).status == .unsupportedMediaType)
            #expect(try await post(client, "/api/feedback", vote, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]) == .forbidden)
            #expect(try await post(client, "/api/feedback", vote, headers: [HTTPField.Name("Origin")!: "https://evil.example"]) == .forbidden,
                    "issue 16: another site's Origin")
            #expect(try await post(client, "/api/feedback", #"{"article":"https://evil.example/","helpful":true}"#) == .badRequest)
            #expect(try await post(client, "/api/feedback", #"{"article":"/x/","helpful":"yes"}"#) == .badRequest)
            #expect(try await post(client, "/api/feedback", #"{"article":"/x/","helpful":false,"reason":"spam"}"#) == .badRequest)
            // The refused article above was a well-formed submission, so it counted: 29 more are taken, the next is not.
            for _ in 1..<FeedbackStore.maximumPerClientPerHour { #expect(try await post(client, "/api/feedback", vote) == .noContent) }
            #expect(try await post(client, "/api/feedback", vote) == .tooManyRequests)
            harness.clock.advance(3601)
            let long = String(repeating: "x", count: 3000)
            let page = "/others-faq/accessibility/"
            #expect(try await post(client, "/api/feedback", #"{"article":"/no/such/page/","helpful":true}"#) == .badRequest)
            #expect(try await client.execute(uri: "/api/feedback", method: .post, headers: [.contentType: "application/jsonp"],
                                             body: ByteBuffer(string: vote)).status == .unsupportedMediaType)
            #expect(try await post(client, "/api/feedback", #"{"article":"\#(page)","helpful":false,"reason":"other","comment":"\#(long)"}"#) == .noContent)
            let stored = try await harness.feedback.articleReport(since: .distantPast).first { $0.article == page }
            #expect(stored?.comments.first?.count == FeedbackStore.maximumCommentLength)
        }
    }

    @Test func theWidgetIsHiddenInTheStaticPage() async throws {
        let page = try String(contentsOf: ServerHarness.site.appendingPathComponent("account-management/password/forgot-password/index.html"), encoding: .utf8)
        #expect(page.contains("<section class=\"feedback\" data-feedback hidden"))
        #expect(page.contains("/assets/feedback.js"))
    }
}
