import HelpCenterMarkdown

/// Same-site URL paths, for redirects (`aliases`, `/a/<id>/` permalinks): what may be one, how it is
/// spelled on the wire, and which paths belong to the server and may never be redirected.
///
/// A redirect is data, never text another program splits: a path that passes ``redirectSource(_:)``
/// holds no scheme, host, white space, control or invisible format character, backslash, `..`, `?` or
/// `#`, however it was percent-encoded. The spelling on the wire (``encoded(_:)``) follows the WHATWG
/// URL Standard's path percent-encode set plus `%` and every non-ASCII byte, uppercase hex (RFC 3986
/// §2.1), which is how browsers send such paths.
public enum SitePath {
    /// First path segments the server answers itself (account pages, APIs, live reload, the demo
    /// inbox) or the build writes (assets, search): no page, alias or redirect may take them.
    public static let reservedFirstSegments: Set<String> = ["account", "api", "_watch", "demo", "assets", "search"]

    /// Why a path is not a same-site redirect path.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case schemeOrHost
        case forbiddenCharacter(Unicode.Scalar)
        case dotSegment
        case queryOrFragment
        case reserved(String)
        case notAPage

        public var description: String {
            switch self {
            case .empty: return "it names no page"
            case .schemeOrHost: return "it names another site (a scheme such as 'http:' or a host after '//')"
            case .forbiddenCharacter(let scalar):
                return "it holds \(String(format: "U+%04X", scalar.value)) (white space, a control or invisible character, or a backslash), also when percent-encoded"
            case .dotSegment: return "it holds a '..' segment"
            case .queryOrFragment: return "it holds '?' or '#'"
            case .reserved(let segment): return "/\(segment)/ belongs to the help center itself (account pages, APIs, assets, search)"
            case .notAPage: return "it names a file, and a redirect can only stand at a page URL (ending in / or .html)"
            }
        }
    }

    /// The path segments of `raw`, a redirect source as an editor writes it (`/old/page/`,
    /// `old/page`, `/old/page.html`, percent-encoded or not), decoded; `raw` must already be
    /// relative to the site (its base URL and path prefix removed).
    /// - Throws: ``Problem`` when `raw` is not a same-site path or starts with a reserved segment.
    public static func redirectSource(_ raw: String) throws(Problem) -> [String] {
        if raw.hasPrefix("//") || raw.hasPrefix("\\") || SafeURL.scheme(of: raw) != nil { throw .schemeOrHost }
        // Decoded until stable, so that `%250A` cannot hide a line break from a second decoder.
        var path = raw
        for _ in 0..<4 {
            let decoded = SafeURL.percentDecoded(path)
            if decoded == path { break }
            path = decoded
        }
        if path.hasPrefix("//") || SafeURL.scheme(of: path) != nil { throw .schemeOrHost }
        if let scalar = path.unicodeScalars.first(where: isForbidden) { throw .forbiddenCharacter(scalar) }
        if path.contains("?") || path.contains("#") { throw .queryOrFragment }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if segments.contains("..") { throw .dotSegment }
        guard let first = segments.first else { throw .empty }
        if reservedFirstSegments.contains(first.lowercased()) { throw .reserved(first) }
        return segments
    }

    /// Whether `scalar` may not stand in a redirect path: C0 and C1 controls, DEL, every character
    /// with the Unicode White_Space property (line and paragraph separators too), format characters
    /// (bidirectional overrides, zero-width characters) and the backslash, which browsers read as `/`.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\\"
            || scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
    }

    /// `path` (decoded, starting with `/`) as browsers send it: the WHATWG path percent-encode set
    /// (controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`), `%` and every non-ASCII byte as
    /// uppercase `%XX`; everything else as is.
    public static func encoded(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if byte <= 0x20 || byte >= 0x7F || encodedASCII.contains(byte) {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    private static let encodedASCII: Set<UInt8> = Set("\"#<>?`{}%".utf8)

    /// Whether `target` may be sent as a redirect's `Location`: a path on this origin as
    /// ``encoded(_:)`` writes it (starts with one `/`, nothing a browser could read as another
    /// origin, no `.` or `..` segment, no character ``isForbidden(_:)`` refuses, raw or percent-encoded).
    public static func isSameOriginTarget(_ target: String) -> Bool {
        guard target.hasPrefix("/"), !target.hasPrefix("//"), !target.hasPrefix("/\\") else { return false }
        guard !target.unicodeScalars.contains(where: { isForbidden($0) || $0.value >= 0x80 }) else { return false }
        let decoded = SafeURL.percentDecoded(target)
        return !decoded.hasPrefix("//") && !decoded.unicodeScalars.contains(where: isForbidden)
            && !decoded.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }
}

extension SitePath {
    /// The one spelling of a page path that a client sent (`/x//y/`, `/./x/y/` and `/x/%79/` are
    /// all `/x/y/`): percent-decoded once, empty and `.` segments dropped, with a trailing `/`.
    /// - Returns: the decoded path (for the file system) and its encoded spelling (``encoded(_:)``,
    ///   for storage and links); nil when `raw` is not under `prefix`, holds a `..` segment, `?`, `#`
    ///   or a character ``isForbidden(_:)`` refuses, or names no page.
    public static func page(_ raw: String, prefix: String) -> (decoded: String, encoded: String)? {
        guard raw.hasPrefix(prefix + "/") else { return nil }
        let decoded = SafeURL.percentDecoded(String(raw.dropFirst(prefix.count)))
        guard !decoded.contains("?"), !decoded.contains("#"), !decoded.unicodeScalars.contains(where: isForbidden) else { return nil }
        let segments = decoded.split(separator: "/").filter { $0 != "." }
        guard !segments.isEmpty, !segments.contains("..") else { return nil }
        let path = prefix + "/" + segments.joined(separator: "/") + "/"
        return (path, encoded(path))
    }

    /// `text` with white space other than the space, control and invisible characters shown as
    /// `\u{…}`, for a diagnostic that must not break the terminal's line or hide what it names.
    public static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) && scalar != " " {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
