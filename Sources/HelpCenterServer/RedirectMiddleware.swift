import HelpCenterContent
import HelpCenterMarkdown
import Hummingbird

/// Real `301 Moved Permanently` for permalinks (`/a/<id>/`) and `aliases`, from the build's
/// `_redirects.json` (``RedirectTable``, whose loader already refused rules under the server's own
/// routes and targets on another origin); a rule for `/old/` also answers `/old`, and a path sent
/// with other percent-encoding (`%c3%a9`, `%41`) finds the rule of its canonical spelling.
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    let rules: @Sendable () -> [String: String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        let rules = rules()
        if let target = Self.target(for: request.uri.path, in: rules) {
            return .redirect(to: target, type: .permanent)
        }
        return try await next(request, context)
    }

    static func target(for path: String, in rules: [String: String]) -> String? {
        func lookup(_ path: String) -> String? { rules[path] ?? (path.hasSuffix("/") ? nil : rules[path + "/"]) }
        if let target = lookup(path) { return target }
        guard path.utf8.contains(UInt8(ascii: "%")) else { return nil }
        return lookup(SitePath.encoded(SafeURL.percentDecoded(path)))
    }
}
