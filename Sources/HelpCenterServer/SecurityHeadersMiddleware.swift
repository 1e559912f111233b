import HTTPTypes
import Hummingbird

/// Response headers: on every response `X-Content-Type-Options: nosniff`; on the account pages and
/// the demo inbox also `Cache-Control: no-store`, `Referrer-Policy: no-referrer` and a CSP that allows
/// this origin only and no framing (OWASP ASVS 5.0 3.4.3, 3.4.5, 3.4.6, 14.3.2; OWASP Forgot Password
/// Cheat Sheet on the Referer header).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    /// Path prefixes of the account pages and the demo inbox (`ROOT/account/`, `ROOT/demo/`).
    let privatePrefixes: [String]

    init(root: String) {
        privatePrefixes = [root + "/account/", root + "/demo/"]
    }

    static let accountPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    static let sitePolicy = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        let path = request.uri.path
        if privatePrefixes.contains(where: path.hasPrefix) {
            response.headers[.cacheControl] = "no-store"
            response.headers[Self.referrerPolicy] = "no-referrer"
            response.headers[.contentSecurityPolicy] = Self.accountPolicy
            response.headers[Self.frameOptions] = "DENY"
        } else {
            response.headers[Self.referrerPolicy] = "strict-origin-when-cross-origin"
            response.headers[.contentSecurityPolicy] = Self.sitePolicy
        }
        return response
    }
}
