import Hummingbird
import NIOCore

/// Turns a failure of a peer the server depends on (the database locked past its busy timeout,
/// read-only, or gone) into a calm `503` for the buyer and one error line for the operator, instead
/// of an empty `500`. HTTP errors (404, 400, …) pass through as they are. The log line names the
/// route and the error, never a request's values (the route template, not the path).
struct ServiceUnavailableMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    /// The page for `request` (HTML for pages, JSON for `/api/`).
    let page: @Sendable (Request) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("service unavailable on \(request.method) \(context.endpointPath ?? "?"): \(String(reflecting: type(of: error))): \(error)")
            var response = page(request)
            response.status = .serviceUnavailable
            response.headers[.retryAfter] = "60"
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
