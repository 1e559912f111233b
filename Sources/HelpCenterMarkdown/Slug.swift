/// Slugs for heading anchors and for URL path segments.
public enum Slug {
    /// The anchor GitHub gives a heading (github-slugger): lowercased; every character that is not a
    /// letter, mark, number, connector punctuation (`_`), space or hyphen removed; each space becomes
    /// a hyphen. Non-ASCII letters are kept (`Über` → `über`, `注文` → `注文`).
    ///
    /// Emoji never reach an anchor: pictographs and modifiers are symbols, zero-width joiners and
    /// tags are format characters, and variation selectors, enclosing marks (the keycap U+20E3) and any
    /// mark that does not follow a kept letter or number are dropped too (`1️⃣ Setup 👍🏽` → `1-setup-`).
    ///
    /// - Returns: the slug; empty when the text has no letters or numbers.
    public static func githubAnchor(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var afterWord = false
        for scalar in text.lowercased().unicodeScalars {
            let properties = scalar.properties
            let isMark = [.nonspacingMark, .spacingMark, .enclosingMark].contains(properties.generalCategory)
            if scalar == " " {
                out.append("-")
                afterWord = false
            } else if isMark {
                if afterWord && !properties.isVariationSelector && properties.generalCategory != .enclosingMark { out.append(scalar) }
            } else if scalar == "-" || isWordScalar(scalar) {
                out.append(scalar)
                afterWord = scalar != "-"
            } else {
                afterWord = false
            }
        }
        return String(out)
    }

    /// A URL path segment from a file or folder name: lowercased, each run of characters other than
    /// letters, marks and numbers collapsed to one hyphen, hyphens trimmed at both ends.
    /// Non-ASCII letters are kept (browsers show them; the sitemap percent-encodes them once).
    ///
    /// `Licensing & Counterfeits` → `licensing-counterfeits`; `Café Orders` → `café-orders`.
    /// - Returns: the segment; empty when the name has no letters or numbers.
    public static func pathSegment(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingHyphen = false
        for scalar in name.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if isWordScalar(scalar) && scalar != "_" {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        return String(out)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}

/// Hands out unique anchors within one page: the first `faq` is `faq`, the next `faq-1`, `faq-2`, …
/// (GitHub's rule), skipping any anchor already taken. Amortised O(1) per heading, so 10,000
/// identical headings cost no more than 10,000 different ones.
///
/// Ids the default theme gives its own elements (``reservedIDs``) are taken from the start, and an
/// anchor starting with a prefix the theme's scripts number their elements with (``reservedPrefixes``)
/// gets `section-` in front, so that no heading's id ever collides with the page around it.
public struct HeadingSlugger: Sendable {
    /// `id`s in the default theme's templates and scripts (a test reads the theme and keeps this complete).
    public static let reservedIDs: Set<String> = [
        "main", "site-search-input", "site-search-listbox", "search-page-input", "section-faq-title", "related-title",
        "contact-title", "feedback-title", "feedback-comment",
    ]
    /// Prefixes of `id`s the theme's scripts make at run time (`search-option-3`).
    public static let reservedPrefixes = ["search-option-"]

    private var used: Set<String> = HeadingSlugger.reservedIDs
    private var nextSuffix: [String: Int] = [:]

    public init() {}

    /// Whether the theme uses `id` (or ids starting like it) for an element of its own.
    public static func isReserved(_ id: String) -> Bool {
        reservedIDs.contains(id) || reservedPrefixes.contains(where: id.hasPrefix)
    }

    /// Marks `id` as taken. - Returns: false when it already was.
    @discardableResult
    public mutating func reserve(_ id: String) -> Bool {
        used.insert(id).inserted
    }

    /// A unique anchor for `base` (empty `base` becomes `section`), recorded as taken.
    public mutating func unique(_ base: String) -> String {
        var base = base.isEmpty ? "section" : base
        if Self.reservedPrefixes.contains(where: base.hasPrefix) { base = "section-" + base }
        if used.insert(base).inserted { return base }
        var n = nextSuffix[base] ?? 1
        while used.contains("\(base)-\(n)") { n += 1 }
        nextSuffix[base] = n + 1
        let id = "\(base)-\(n)"
        used.insert(id)
        return id
    }
}
