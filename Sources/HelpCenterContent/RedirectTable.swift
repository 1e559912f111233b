import Foundation

/// The site's permanent redirects (`/a/<id>/` permalinks and `aliases`), as the build writes them to
/// `_redirects.json` and `helpcenter serve` reads them: JSON, so that no path can be read back as
/// two (a rule per line of text could be split by a line break an alias smuggled in).
///
/// Shape: `{"version": 1, "redirects": [{"from": "/old/page/", "to": "/new/page/"}, …]}`, sorted by
/// `from`; both paths percent-encoded as browsers send them (``SitePath/encoded(_:)``), including the
/// site's path prefix. ``load(_:prefix:)`` keeps only rules that are safe to serve, whoever wrote the file.
public struct RedirectTable: Codable, Sendable, Equatable {
    public struct Rule: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var version = 1
    public var redirects: [Rule]

    /// The file name in the built site.
    public static let fileName = "_redirects.json"
    /// Files at the site's root that the build writes itself: no redirect may stand in their place.
    static let builtFiles: Set<String> = ["index.html", "404.html", "robots.txt", "sitemap.xml", "_redirects", fileName]

    public init(redirects: [Rule]) { self.redirects = redirects.sorted { $0.from < $1.from } }

    /// The table as JSON (sorted keys, one rule per line: byte-identical for the same content).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The rules as `from to 301` lines, the `_redirects` format of Netlify and Cloudflare Pages. Safe
    /// as text because every path is encoded (no white space can stand in one).
    public func netlifyRules() -> String {
        redirects.map { "\($0.from) \($0.to) 301\n" }.joined()
    }

    /// Request path → `Location`, from a `_redirects.json` file's bytes. A rule is dropped when its
    /// source is not a same-site path under `prefix` (`""` or `/help`), lies under a route the server
    /// owns (``SitePath/reservedFirstSegments``) or names a file the build writes at the root, or when
    /// its target is not a same-origin path (``SitePath/isSameOriginTarget(_:)``).
    /// - Returns: the rules kept and the number dropped; an unreadable file gives no rules.
    public static func load(_ data: Data, prefix: String) -> (rules: [String: String], dropped: Int) {
        guard let table = try? JSONDecoder().decode(RedirectTable.self, from: data) else { return ([:], 0) }
        var rules: [String: String] = [:]
        var dropped = 0
        for rule in table.redirects {
            guard rule.from.hasPrefix(prefix + "/"), SitePath.isSameOriginTarget(rule.from), SitePath.isSameOriginTarget(rule.to),
                  let segments = try? SitePath.redirectSource(String(rule.from.dropFirst(prefix.count))),
                  !(segments.count == 1 && builtFiles.contains(segments[0]))
            else { dropped += 1; continue }
            rules[rule.from] = rule.to
        }
        return (rules, dropped)
    }
}
