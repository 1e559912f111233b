/// Options of one search.
public struct SearchOptions: Sendable {
    /// Only results in this top-level category (its title or the last segment of its URL, any case).
    public var category: String?
    /// At most this many results (1…100).
    public var limit: Int
    /// Sub-results (matching sections, linked by heading anchor) per result, at most.
    public var subResults: Int

    public init(category: String? = nil, limit: Int = 10, subResults: Int = 3) {
        self.category = category
        self.limit = max(1, min(100, limit))
        self.subResults = subResults
    }
}

/// The answer to one search.
public struct SearchResponse: Sendable, Codable, Equatable {
    public var query: String
    /// Matching articles before the limit (and after the category filter).
    public var total: Int
    /// Matches per top-level category, before the category filter, in category order (zeros left out).
    public var categories: [CategoryCount]
    /// True when no article had every term, and articles with any term were returned instead.
    public var matchedAnyTerm: Bool
    public var results: [SearchResult]

    public struct CategoryCount: Sendable, Codable, Equatable {
        public var title: String
        public var url: String
        public var count: Int
    }
}

/// One matching article.
public struct SearchResult: Sendable, Codable, Equatable {
    public var title: String
    /// The article's URL, with the anchor of the heading the match stands under when the match is not
    /// in the title or the introduction.
    public var url: String
    public var categories: [String]
    /// Plain text with matched words in `<mark>…</mark>`; everything else HTML-escaped exactly once.
    public var snippet: String
    public var score: Double
    public var subResults: [SubResult]

    /// A section of the article that matched, linked by its heading's anchor.
    public struct SubResult: Sendable, Codable, Equatable {
        public var heading: String
        public var url: String
        public var snippet: String
    }
}

extension SearchIndex {
    /// Runs `query`.
    ///
    /// Every query word is required; when no article has them all, articles with any are returned
    /// (`matchedAnyTerm`). The last word also matches as a prefix (type-ahead: `can` finds
    /// `cancellation`). A word of 4+ letters that matches nothing is corrected within edit distance 1
    /// (2 for 8+ letters; Damerau–Levenshtein, same first letter), scored at half. Prefix matches score
    /// at 0.9. Ties are broken by title.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) -> SearchResponse {
        let groups = QueryParser.groups(query)
        var matches: [[Int: Match]] = []
        var matchedTerms: Set<String> = []
        for (index, group) in groups.enumerated() {
            let isLast = index == groups.count - 1
            var documents: [Int: Match] = [:]
            let alternatives = [group.terms] + (group.parts.count > 1 ? [group.parts] : [])
            for terms in alternatives {
                var combined: [Int: Match]?
                for (position, term) in terms.enumerated() {
                    let expanded = expansions(of: term, word: position == 0 ? group.word : term, prefix: isLast && position == 0, typo: true)
                    matchedTerms.formUnion(expanded.keys)
                    let found = collect(expanded)
                    combined = combined.map { Match.intersect($0, found) } ?? found
                }
                for (document, match) in combined ?? [:] {
                    if let existing = documents[document], existing.score >= match.score { continue }
                    documents[document] = Match(score: match.score, sections: match.sections, titleGroups: min(1, match.titleGroups))
                }
            }
            if !group.isStopWord || !documents.isEmpty { matches.append(documents) }
        }
        var matchedAny = false
        var combined = matches.first ?? [:]
        for next in matches.dropFirst() { combined = Match.intersect(combined, next) }
        if combined.isEmpty && matches.count > 1 {
            matchedAny = true
            for next in matches {
                for (document, match) in next {
                    let existing = combined[document] ?? Match(score: 0, sections: 0, titleGroups: 0)
                    combined[document] = Match(score: existing.score + match.score, sections: existing.sections | match.sections, titleGroups: 0)
                }
            }
        } else {
            // An article whose title is exactly the query's words ranks a quarter higher.
            for (document, match) in combined where match.titleGroups == matches.count && titleWords[document] == matches.count {
                combined[document]?.score = match.score + match.score / 4
            }
        }
        var counts = Array(repeating: 0, count: categories.count)
        for document in combined.keys where documentCategory[document] >= 0 { counts[documentCategory[document]] += 1 }
        let filter = options.category.flatMap { categoryIndex(named: $0) }
        let ranked = combined.filter { filter == nil || documentCategory[$0.key] == filter }.sorted { lhs, rhs in
            lhs.value.score != rhs.value.score ? lhs.value.score > rhs.value.score : lhs.key < rhs.key
        }
        let highlighter = Highlighter(terms: matchedTerms)
        let results = ranked.prefix(options.limit).map { document, match in
            result(for: document, score: match.score, sectionMask: match.sections & Match.sectionBits, highlighter: highlighter, subResults: options.subResults)
        }
        let categoryCounts = categories.enumerated().compactMap { index, category in
            counts[index] > 0 ? SearchResponse.CategoryCount(title: category.title, url: category.url, count: counts[index]) : nil
        }
        return SearchResponse(query: query, total: ranked.count, categories: categoryCounts, matchedAnyTerm: matchedAny, results: Array(results))
    }

    /// The terms a query term stands for, with the factor each one's score is multiplied by.
    func expansions(of term: String, word: String, prefix: Bool, typo: Bool) -> [String: Double] {
        var result: [String: Double] = [:]
        if postings[term] != nil { result[term] = 1 }
        let bucket = word.unicodeScalars.first.flatMap { wordsByFirstScalar[$0] } ?? []
        if prefix, word.count >= 2 {
            for (candidate, stem) in bucket where candidate.hasPrefix(word) && stem != term && postings[stem] != nil {
                result[stem] = max(result[stem] ?? 0, 0.9)
            }
        }
        if result.isEmpty, typo, word.count >= 4 {
            let distance = word.count >= 8 ? 2 : 1
            for (candidate, stem) in bucket where abs(candidate.count - word.count) <= distance {
                if EditDistance.within(word, candidate, distance) { result[stem] = max(result[stem] ?? 0, 0.5) }
            }
        }
        return result
    }

    private func collect(_ terms: [String: Double]) -> [Int: Match] {
        var documents: [Int: Match] = [:]
        for (term, factor) in terms {
            for posting in postings[term] ?? [] {
                let score = Int(Double(posting.score) * factor)
                let inTitle = Int(posting.sections >> 31)
                let existing = documents[posting.document] ?? Match(score: 0, sections: 0, titleGroups: 0)
                documents[posting.document] = Match(score: max(existing.score, score), sections: existing.sections | posting.sections,
                                                    titleGroups: max(existing.titleGroups, inTitle))
            }
        }
        return documents
    }

    /// The index in ``categories`` of the category with this title or URL name (any case).
    public func categoryIndex(named name: String) -> Int? {
        let wanted = name.lowercased()
        return categories.firstIndex { category in
            category.title.lowercased() == wanted || category.url.split(separator: "/").last.map { $0.lowercased() } == wanted
        }
    }

    private func result(for index: Int, score: Int, sectionMask: UInt32, highlighter: Highlighter, subResults: Int) -> SearchResult {
        let document = documents[index]
        let matching = document.sections.indices.filter { sectionMask & (1 << UInt32($0)) != 0 }
        let scored: [(section: Int, matches: Int)] = matching.map { index in
            (index, highlighter.count(in: document.sections[index].heading + " " + document.sections[index].text))
        }.sorted { $0.matches != $1.matches ? $0.matches > $1.matches : $0.section < $1.section }
        let titleMatches = highlighter.count(in: document.title) > 0
        var url = document.url
        var snippetText = document.summary.isEmpty ? document.sections.first?.text ?? "" : document.summary
        if let best = scored.first {
            let section = document.sections[best.section]
            snippetText = section.text.isEmpty ? section.heading : section.text
            if !titleMatches && !section.anchor.isEmpty { url += "#" + section.anchor }
        }
        let subs = scored.filter { !document.sections[$0.section].anchor.isEmpty }.prefix(subResults).map { entry in
            let section = document.sections[entry.section]
            return SearchResult.SubResult(heading: section.heading, url: document.url + "#" + section.anchor,
                                          snippet: highlighter.snippet(section.text.isEmpty ? section.heading : section.text))
        }
        return SearchResult(title: document.title, url: url, categories: document.categories,
                            snippet: highlighter.snippet(snippetText), score: Double(score) / 1000, subResults: Array(subs))
    }
}

/// How one article matches a query, or a part of it.
struct Match {
    var score: Int
    /// Bits 0–29: sections containing a matched term; bit 31: a matched term is in the title.
    var sections: UInt32
    /// How many query word groups have a term in the title.
    var titleGroups: Int

    static let sectionBits: UInt32 = (1 << 30) - 1

    /// Articles in both: scores and title groups add up, sections merge.
    static func intersect(_ a: [Int: Match], _ b: [Int: Match]) -> [Int: Match] {
        var result: [Int: Match] = [:]
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        for (document, match) in small {
            guard let other = large[document] else { continue }
            result[document] = Match(score: match.score + other.score, sections: match.sections | other.sections,
                                     titleGroups: match.titleGroups + other.titleGroups)
        }
        return result
    }
}

/// A query split into word groups: each group is a word (or a compound such as `sign-in`) with the
/// parts that can stand for it.
struct QueryParser {
    struct Group {
        /// The group's main term first (the stem of the word, or the whole compound).
        var terms: [String]
        /// The folded surface word, for prefix and typo matching.
        var word: String
        /// The parts (`sign`, `in` of `sign-in`), any of which alone does not satisfy the group.
        var parts: [String]
        var isStopWord: Bool
    }

    static func groups(_ query: String) -> [Group] {
        let analyzer = Analyzer()
        var groups: [Group] = []
        for word in Analyzer.fold(query).split(whereSeparator: { $0.isWhitespace }) {
            let tokens = analyzer.tokens(String(word))
            var byPosition: [Int: [Analyzer.Token]] = [:]
            for token in tokens { byPosition[token.position, default: []].append(token) }
            if tokens.isEmpty {
                let bare = String(String.UnicodeScalarView(word.unicodeScalars.filter { Highlighter.isWordScalar($0) }))
                if !bare.isEmpty { groups.append(Group(terms: [bare], word: bare, parts: [], isStopWord: true)) }
                continue
            }
            for position in byPosition.keys.sorted() {
                let group = byPosition[position]!
                let main = group[0]
                groups.append(Group(terms: [main.term], word: main.word, parts: main.isCompound ? group.dropFirst().map(\.term) : [], isStopWord: false))
            }
        }
        return groups
    }
}
