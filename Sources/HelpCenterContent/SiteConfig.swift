import HelpCenterMarkdown

/// The site settings in `Content/site.yml`. Every key is optional; unknown keys are ignored.
///
/// ```yaml
/// title: TradeBridge Help Center
/// base_url: https://help.tradebridge.example   # absolute; its path (if any) prefixes every URL
/// language: en                                  # BCP 47 tag for <html lang>
/// description: Answers for buyers.
/// support: { email: …, phone: …, hours: …, url: … }
/// theme: theme                                  # folder (relative to Content/) overriding templates
/// raw_html: sanitize                            # sanitize | drop | trusted
/// ```
public struct SiteConfig: Sendable, Hashable {
    /// How buyers reach a person, shown under every article.
    public struct SupportContact: Sendable, Hashable {
        public var email: String?
        public var phone: String?
        public var hours: String?
        public var url: String?
    }

    public var title = "Help Center"
    /// The absolute URL the site is published at, without a trailing slash.
    public var baseURL = "http://localhost:8080" {
        didSet { (origin, pathPrefix) = Self.split(baseURL) }
    }
    public var language = "en"
    public var description = ""
    public var support: SupportContact?
    /// A theme folder relative to the content folder, whose files override the default theme's.
    public var theme: String?
    public var rawHTML: RawHTMLPolicy = .sanitize
    /// `password_minimum_length`: the shortest new password the reset walkthrough accepts, 8…128
    /// code points (nil: the default of 15, NIST SP 800-63B-4 §3.1.1.2 for single-factor passwords).
    public var passwordMinimumLength: Int?
    /// The path part of ``baseURL`` (`""` or e.g. `/help`), prefixed to every URL of the site.
    public private(set) var pathPrefix = ""
    /// The scheme and host of ``baseURL`` (`https://help.example.com`).
    public private(set) var origin = "http://localhost:8080"

    public init() {}

    /// `https://example.com/help/` → (`https://example.com`, `/help`).
    private static func split(_ baseURL: String) -> (origin: String, pathPrefix: String) {
        guard let schemeEnd = baseURL.range(of: "://") else { return (baseURL, "") }
        let pathStart = baseURL[schemeEnd.upperBound...].firstIndex(of: "/") ?? baseURL.endIndex
        var path = String(baseURL[pathStart...])
        while path.hasSuffix("/") { path.removeLast() }
        return (String(baseURL[..<pathStart]), path)
    }

    /// Reads `site.yml` text.
    /// - Returns: the settings (defaults for what is missing) and the problems found, located in `path`.
    public static func parse(_ text: String, path: String) -> (SiteConfig, [Diagnostic]) {
        var config = SiteConfig()
        var diagnostics: [Diagnostic] = []
        let yaml: YAMLMapping
        do {
            yaml = try YAMLMapping(parsing: text, lineOffset: 0)
        } catch let error as YAMLError {
            return (config, [Diagnostic(.error, path, error.location, error.message)])
        } catch {
            return (config, [Diagnostic(.error, path, SourceLocation(line: 1, column: 1), "\(error)")])
        }
        if let title = yaml.string("title") { config.title = title }
        if let language = yaml.string("language") { config.language = language }
        if let description = yaml.string("description") { config.description = description }
        if let theme = yaml.string("theme") { config.theme = theme }
        if var base = yaml.string("base_url") {
            while base.hasSuffix("/") { base.removeLast() }
            let clean = !base.contains { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false || "\"'<>\\`{}|^".contains($0) }
            if (base.hasPrefix("http://") || base.hasPrefix("https://")) && clean && !base.contains("?") && !base.contains("#") {
                config.baseURL = base
            } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "base_url"),
                    "base_url '\(base)' must be an absolute http(s) URL without spaces, quotes, query or fragment, e.g. https://help.example.com"))
            }
        }
        if let raw = yaml.string("raw_html") {
            if let policy = RawHTMLPolicy(rawValue: raw.lowercased()) {
                config.rawHTML = policy
            } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "raw_html"),
                    "raw_html must be sanitize, drop or trusted, not '\(raw)'"))
            }
        }
        if let text = yaml.string("password_minimum_length") {
            if let value = Int(text), (8...128).contains(value) {
                config.passwordMinimumLength = value
            } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "password_minimum_length"),
                    "password_minimum_length must be a whole number from 8 to 128, not '\(text)' (leave it out for the default of 15)"))
            }
        }
        if let support = yaml.mapping("support") {
            var url = support.string("url")
            if let value = url, !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                diagnostics.append(Diagnostic(.error, path, support.location(of: "url"),
                    "support url '\(value)' must be an absolute http(s) URL, e.g. https://example.com/contact"))
                url = nil
            }
            var email = support.string("email")
            if let value = email, !value.contains("@") || value.contains(where: { $0 == ":" || $0 == "/" || $0.isWhitespace }) {
                diagnostics.append(Diagnostic(.error, path, support.location(of: "email"),
                    "support email '\(value)' is not an email address, e.g. support@example.com"))
                email = nil
            }
            config.support = SupportContact(email: email, phone: support.string("phone"), hours: support.string("hours"), url: url)
        }
        return (config, diagnostics)
    }
}
