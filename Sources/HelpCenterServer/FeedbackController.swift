import Foundation
import HelpCenterContent
import HelpCenterFeedback
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/feedback` (helpfulness votes) and `/api/search-misses` (searches that found nothing), JSON
/// in, 204 out. Only same-origin JSON posts are taken (a cross-site form cannot send JSON without a
/// preflight, and `Sec-Fetch-Site` and `Origin` are checked when sent: ``SameOrigin``); each client may send
/// ``FeedbackStore/maximumPerClientPerHour`` an hour.
struct FeedbackController: Sendable {
    let store: FeedbackStore
    /// A keyed hash of a client address, for the per-client limit.
    let clientKey: @Sendable (String) -> String
    let root: String
    let clock: @Sendable () -> Date
    /// The URL of the article a decoded page path names (itself, or the target of its permalink or
    /// alias), or nil when it names no article (a category page, the search page, nothing).
    let article: @Sendable (String) -> String?

    struct Vote: Decodable {
        var article: String
        var helpful: Bool
        var reason: FeedbackStore.Reason?
        var comment: String?
    }

    struct Miss: Decodable {
        var query: String
    }

    func register(on router: Router<HelpCenterRequestContext>) {
        router.on(RouterPath(root + "/api/feedback"), method: .head) { _, _ in Response(status: .noContent) }
        router.post(RouterPath(root + "/api/feedback")) { request, context in
            try await self.accept(request, context, as: Vote.self) { vote in
                // Counted under the article's one spelling, however the client wrote its path.
                guard vote.article.hasSuffix("/"), vote.article.utf8.count <= 300, let page = SitePath.page(vote.article, prefix: self.root),
                      let article = self.article(page.decoded) else { return false }
                try await self.store.vote(article: SitePath.encoded(article), helpful: vote.helpful, reason: vote.helpful ? nil : vote.reason,
                                          comment: vote.helpful ? nil : vote.comment, now: self.clock())
                return true
            }
        }
        router.post(RouterPath(root + "/api/search-misses")) { request, context in
            try await self.accept(request, context, as: Miss.self) { miss in
                try await self.store.searchMissed(miss.query, now: self.clock())
                return true
            }
        }
    }

    func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"\(message)\"}")))
    }

    func accept<Body: Decodable>(_ request: Request, _ context: HelpCenterRequestContext, as type: Body.Type,
                                 _ store: (Body) async throws -> Bool) async throws -> Response {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else { return problem(.unsupportedMediaType, "send JSON") }
        guard SameOrigin.check(request, allowingNavigation: false) else { return problem(.forbidden, "only this site may send feedback") }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 4096),
              let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer)) else { return problem(.badRequest, "not a valid feedback object") }
        guard try await self.store.admit(clientKey: clientKey(context.clientAddress), now: clock()) else {
            return problem(.tooManyRequests, "too much feedback from this network; try again in an hour")
        }
        return try await store(body) ? Response(status: .noContent) : problem(.badRequest, "not an article of this site")
    }
}
