import Hummingbird

/// Refuses paths that only mislead: `//name` (a browser would follow the added-slash redirect to the
/// host `name`) and NUL bytes (which would change the content type chosen from the extension), in
/// any percent-encoding. Answers 404, as for any other page that does not exist.
struct PathSafetyMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Foundation's percent-decoding goes through CFString: only paths with a `%` need it.
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path
        if decoded.hasPrefix("//") || decoded.hasPrefix("/\\") || decoded.utf8.contains(0) { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}
