import Hummingbird
import NIOCore

/// Answers every request that nothing else answered with the site's `404.html` and status 404.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    let page: @Sendable () -> ByteBuffer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return Response(status: .notFound, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                            body: .init(byteBuffer: page()))
        }
    }
}
