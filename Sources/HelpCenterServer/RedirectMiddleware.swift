import Hummingbird

/// Real `301 Moved Permanently` for permalinks (`/a/<id>/`) and `aliases`, from the build's `_redirects`;
/// a rule for `/old/` also answers `/old`.
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    let rules: @Sendable () -> [String: String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let rules = rules()
        if request.method == .get || request.method == .head, let target = rules[path] ?? (path.hasSuffix("/") ? nil : rules[path + "/"]) {
            return .redirect(to: target, type: .permanent)
        }
        return try await next(request, context)
    }
}
