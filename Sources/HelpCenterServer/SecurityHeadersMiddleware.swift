import HTTPTypes
import Hummingbird

/// Response headers: on every response `X-Content-Type-Options: nosniff`; on the account pages and
/// the demo inbox also `Cache-Control: no-store`, `Referrer-Policy: no-referrer` and a CSP that allows
/// this origin only and no framing (OWASP ASVS 5.0 3.4.3, 3.4.5, 3.4.6, 14.3.2; OWASP Forgot Password
/// Cheat Sheet on the Referer header); when the site is served over https (its `base_url`), also
/// `Strict-Transport-Security: max-age=31536000` on every response (RFC 6797; no `includeSubDomains`:
/// the help center is often one subdomain of many).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    /// Path prefixes of the account pages and the demo inbox (`ROOT/account/`, `ROOT/demo/`).
    let privatePrefixes: [String]
    let strictTransportSecurity: Bool

    init(root: String, strictTransportSecurity: Bool = false) {
        privatePrefixes = [root + "/account/", root + "/demo/"]
        self.strictTransportSecurity = strictTransportSecurity
    }

    static let accountPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    /// The site's pages: their own scripts and styles only (no inline script), images and media also
    /// from https (editors link them), nothing framed from or posted to elsewhere.
    static let sitePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
        + "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    /// Files a browser could run as a document though they are not pages (SVG, XML, XHTML attachments,
    /// published only under `raw_html: trusted`): sandboxed, so that no script in them runs in this origin.
    static let attachmentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    /// Whether a response of this `Content-Type` is a document that could run script but is not one of
    /// the site's HTML pages: SVG and the XML kinds (`image/svg+xml`, `application/xhtml+xml`, `text/xml`, …).
    static func isActiveDocument(_ contentType: String?) -> Bool {
        guard let type = contentType?.prefix(while: { $0 != ";" }).filter({ !$0.isWhitespace }).lowercased() else { return false }
        return type.hasSuffix("/xml") || type.hasSuffix("+xml") || type == "text/xsl"
    }

    /// Whether a response is HTML. The site's pages are served at `…/` (and its 404 page at any
    /// path); HTML asked for by a file name (`/x/form.html`) is an attachment, published only under
    /// `raw_html: trusted`, and sandboxed like SVG and XML (it could load a script attachment).
    static func isHTML(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("text/html") == true
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        let path = request.uri.path
        if privatePrefixes.contains(where: path.hasPrefix) {
            response.headers[.cacheControl] = "no-store"
            response.headers[Self.referrerPolicy] = "no-referrer"
            response.headers[.contentSecurityPolicy] = Self.accountPolicy
            response.headers[Self.frameOptions] = "DENY"
        } else {
            response.headers[Self.referrerPolicy] = "strict-origin-when-cross-origin"
            let sandboxed = Self.isActiveDocument(response.headers[.contentType]) || (Self.isHTML(response.headers[.contentType]) && !path.hasSuffix("/") && response.status == .ok)
            response.headers[.contentSecurityPolicy] = sandboxed ? Self.attachmentPolicy : Self.sitePolicy
        }
        return response
    }
}
