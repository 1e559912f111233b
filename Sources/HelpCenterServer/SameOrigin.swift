import HTTPTypes
import Hummingbird

/// Whether a request was sent by this site's own pages, from the headers browsers set themselves
/// (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata" and "Verifying Origin with standard headers";
/// OWASP ASVS 5.0 3.5.1): `Sec-Fetch-Site` must be `same-origin` (or `none`, a typed or bookmarked
/// address, where `allowingNavigation`), and `Origin` (RFC 6454 §7; browsers send it on every POST)
/// must name the host and port the request was sent to (its `Host`), not another site (`null` only
/// with `Sec-Fetch-Site: same-origin`).
/// A client that sends neither header (curl, a test) passes: the anti-CSRF token still applies.
enum SameOrigin {
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let origin = HTTPField.Name("Origin")!

    static func check(_ request: Request, allowingNavigation: Bool = true) -> Bool {
        let site = request.headers[fetchSite]
        if let site, site != "same-origin", !(allowingNavigation && site == "none") { return false }
        guard let origin = request.headers[origin] else { return true }
        // Browsers send `Origin: null` for a form posted from a page whose Referrer-Policy is
        // `no-referrer` (Fetch Standard, "serializing a request origin"), as the account pages are: it
        // is taken only with `Sec-Fetch-Site: same-origin`, which such a browser also sends.
        if origin == "null" { return site == "same-origin" }
        // `scheme://host[:port]`: the scheme is left out of the comparison (TLS may end at a proxy).
        guard let separator = origin.range(of: "://"), let authority = request.head.authority else {
            return false
        }
        return origin[separator.upperBound...].lowercased() == authority.lowercased()
    }
}
