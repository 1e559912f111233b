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
        var matches: [[Match]] = []
        var matchedTerms: Set<String> = []
        for (index, group) in groups.enumerated() {
            let isLast = index == groups.count - 1
            var best: [Match] = []
            let alternatives = [group.terms] + (group.parts.count > 1 ? [group.parts] : [])
            for terms in alternatives {
                var combined: [Match]?
                for (position, term) in terms.enumerated() {
                    let expanded = expansions(of: term, word: position == 0 ? group.word : term, prefix: isLast && position == 0, typo: true)
                    matchedTerms.formUnion(expanded.keys)
                    let found = collect(expanded)
                    combined = combined.map { Match.intersect($0, found) } ?? found
                }
                best = Match.union(best, combined ?? []) { $0.score >= $1.score ? $0 : $1 }
            }
            for i in best.indices { best[i].titleGroups = min(1, best[i].titleGroups) }
            if !group.isStopWord || !best.isEmpty { matches.append(best) }
        }
        var matchedAny = false
        var combined = matches.first ?? []
        for next in matches.dropFirst() { combined = Match.intersect(combined, next) }
        if combined.isEmpty && matches.count > 1 {
            matchedAny = true
            for next in matches {
                combined = Match.union(combined, next) { a, b in
                    Match(document: a.document, score: a.score + b.score, sections: a.sections | b.sections, titleGroups: 0)
                }
            }
            for i in combined.indices { combined[i].titleGroups = 0 }
        } else {
            // An article whose title is exactly the query's words ranks a quarter higher.
            for i in combined.indices where combined[i].titleGroups == matches.count && titleWords[combined[i].document] == matches.count {
                combined[i].score += combined[i].score / 4
            }
        }
        var counts = Array(repeating: 0, count: categories.count)
        for match in combined where documentCategory[match.document] >= 0 { counts[documentCategory[match.document]] += 1 }
        let filter = options.category.flatMap { categoryIndex(named: $0) }
        let filtered = filter.map { wanted in combined.filter { documentCategory[$0.document] == wanted } } ?? combined
        let best = Match.best(filtered, limit: options.limit)
        // The word table is only asked for when there are results to write.
        let highlighter = best.isEmpty ? nil : Highlighter(terms: matchedTerms, table: wordTable.table(of: documents))
        let results = highlighter.map { highlighter in
            best.map { match in
                result(for: match.document, score: match.score, sectionMask: match.sections & Match.sectionBits, highlighter: highlighter,
                       subResults: options.subResults)
            }
        } ?? []
        let categoryCounts = categories.enumerated().compactMap { index, category in
            counts[index] > 0 ? SearchResponse.CategoryCount(title: category.title, url: category.url, count: counts[index]) : nil
        }
        return SearchResponse(query: query, total: filtered.count, categories: categoryCounts, matchedAnyTerm: matchedAny, results: results)
    }

    /// Makes the word table that results are written from (``WordTable``) now, instead of on the first
    /// search that shows results: a server calls it in the background after loading an index, so that
    /// no reader waits for it (about a second and 8 bytes a word of text at 10,000 articles).
    public func prepareSnippets() { _ = wordTable.table(of: documents) }

    /// The most terms the last word's prefix stands for: the shortest words that start with it first.
    static let maximumPrefixTerms = 32

    /// The terms a query term stands for, with the factor each one's score is multiplied by.
    ///
    /// A prefix stands for the words that start with it (compounds such as `order_1001` only when the
    /// prefix has a joiner itself: their parts are indexed, so `order` already finds them), at most
    /// ``maximumPrefixTerms`` terms, shortest words first (then by code points).
    func expansions(of term: String, word: String, prefix: Bool, typo: Bool) -> [String: Double] {
        var result: [String: Double] = [:]
        if postings[term] != nil { result[term] = 1 }
        let bucket = word.unicodeScalars.first.flatMap { wordsByFirstScalar[$0] } ?? []
        let length = word.unicodeScalars.count
        if prefix, length >= 2 {
            let compounds = word.unicodeScalars.contains(where: Analyzer.isJoiner)
            // The group is in UTF-8 order: the words that start with `word` follow its lower bound.
            var low = 0, high = bucket.count
            while low < high {
                let middle = (low + high) / 2
                if bucket[middle].word.utf8.lexicographicallyPrecedes(word.utf8) { low = middle + 1 } else { high = middle }
            }
            var candidates: [VocabularyWord] = []
            for candidate in bucket[low...] {
                guard candidate.word.utf8.starts(with: word.utf8) else { break }
                if candidate.term != term && (compounds || !candidate.isCompound) && postings[candidate.term] != nil { candidates.append(candidate) }
            }
            candidates.sort { ($0.length, $0.word) < ($1.length, $1.word) }
            var added = 0
            for candidate in candidates where result[candidate.term] == nil {
                guard added < Self.maximumPrefixTerms else { break }
                result[candidate.term] = 0.9
                added += 1
            }
        }
        if result.isEmpty, typo, length >= 4 {
            let distance = length >= 8 ? 2 : 1
            let scalars = Array(word.unicodeScalars)
            for candidate in bucket where abs(candidate.length - length) <= distance {
                if EditDistance.within(scalars, candidate.scalars, distance) {
                    result[candidate.term] = max(result[candidate.term] ?? 0, 0.5)
                }
            }
        }
        return result
    }

    /// The articles containing any of `terms` (each scored at its factor; the best term counts), by document.
    private func collect(_ terms: [String: Double]) -> [Match] {
        func match(_ posting: Posting, _ factor: Double) -> Match {
            Match(document: posting.document, score: Int(Double(posting.score) * factor), sections: posting.sections,
                  titleGroups: Int(posting.sections >> 31))
        }
        if terms.count == 1, let (term, factor) = terms.first {
            return (postings[term] ?? []).map { match($0, factor) }
        }
        var dense = [Match?](repeating: nil, count: documents.count)
        for (term, factor) in terms {
            for posting in postings[term] ?? [] {
                let found = match(posting, factor)
                dense[posting.document] = dense[posting.document].map { existing in
                    Match(document: found.document, score: max(existing.score, found.score), sections: existing.sections | found.sections,
                          titleGroups: max(existing.titleGroups, found.titleGroups))
                } ?? found
            }
        }
        return dense.compactMap { $0 }
    }

    /// The index in ``categories`` of the category with this title or URL name (any case).
    public func categoryIndex(named name: String) -> Int? {
        let wanted = name.lowercased()
        return categories.firstIndex { category in
            category.title.lowercased() == wanted || category.url.split(separator: "/").last.map { $0.lowercased() } == wanted
        }
    }

    private func result(for index: Int, score: Int, sectionMask: UInt32, highlighter: Highlighter, subResults: Int) -> SearchResult {
        typealias Text = WordTable.Text
        let document = documents[index]
        // Sections ranked by their matching words; then only the snippets shown are written.
        let marked = document.sections.indices.filter { sectionMask & (1 << UInt32($0)) != 0 }.map { section in
            // A section without text shows its heading.
            let text = document.sections[section].text.isEmpty ? Text.heading(section) : Text.body(section)
            let found = highlighter.count(document: index, text: text)
            let heading = text == Text.heading(section) ? 0 : highlighter.count(document: index, text: Text.heading(section)).count
            return (section: section, text: text, firstMatch: found.firstMatch, matches: heading + found.count)
        }
        let scored = marked.sorted { $0.matches != $1.matches ? $0.matches > $1.matches : $0.section < $1.section }
        func sectionSnippet(_ entry: (section: Int, text: Int, firstMatch: Int?, matches: Int)) -> String {
            let section = document.sections[entry.section]
            return highlighter.snippet(section.text.isEmpty ? section.heading : section.text, document: index, text: entry.text,
                                       firstMatch: entry.firstMatch)
        }
        let titleMatches = highlighter.count(document: index, text: Text.title).count > 0
        var url = document.url
        let snippet: String
        if let best = scored.first {
            let anchor = document.sections[best.section].anchor
            if !titleMatches && !anchor.isEmpty { url += "#" + anchor }
            snippet = sectionSnippet(best)
        } else if !document.summary.isEmpty || document.sections.isEmpty {
            snippet = highlighter.snippet(document.summary, document: index, text: Text.summary)
        } else {
            snippet = highlighter.snippet(document.sections[0].text, document: index, text: Text.body(0))
        }
        let subs = scored.filter { !document.sections[$0.section].anchor.isEmpty }.prefix(subResults).map { entry in
            let section = document.sections[entry.section]
            return SearchResult.SubResult(heading: section.heading, url: document.url + "#" + section.anchor, snippet: sectionSnippet(entry))
        }
        return SearchResult(title: document.title, url: url, categories: document.categories,
                            snippet: snippet, score: Double(score) / 1000, subResults: Array(subs))
    }
}

/// How one article matches a query, or a part of it. Lists of matches are kept by ascending document.
struct Match {
    var document: Int
    var score: Int
    /// Bits 0–29: sections containing a matched term; bit 31: a matched term is in the title.
    var sections: UInt32
    /// How many query word groups have a term in the title.
    var titleGroups: Int

    static let sectionBits: UInt32 = (1 << 30) - 1

    /// Articles in both lists: scores and title groups add up, sections merge.
    static func intersect(_ a: [Match], _ b: [Match]) -> [Match] {
        var result: [Match] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i].document < b[j].document { i += 1 } else if a[i].document > b[j].document { j += 1 } else {
                result.append(Match(document: a[i].document, score: a[i].score + b[j].score, sections: a[i].sections | b[j].sections,
                                    titleGroups: a[i].titleGroups + b[j].titleGroups))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// Articles in either list; an article in both gets `merge(a, b)`.
    static func union(_ a: [Match], _ b: [Match], merge: (Match, Match) -> Match) -> [Match] {
        guard !a.isEmpty else { return b }
        guard !b.isEmpty else { return a }
        var result: [Match] = []
        result.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].document < b[j].document) { result.append(a[i]); i += 1 }
            else if i == a.count || b[j].document < a[i].document { result.append(b[j]); j += 1 }
            else { result.append(merge(a[i], b[j])); i += 1; j += 1 }
        }
        return result
    }

    /// The `limit` best matches, highest score first (ties: lower document number first), without
    /// sorting the rest.
    static func best(_ matches: [Match], limit: Int) -> [Match] {
        func ranksAbove(_ a: Match, _ b: Match) -> Bool { a.score != b.score ? a.score > b.score : a.document < b.document }
        var top: [Match] = []
        for match in matches {
            if top.count == limit, let last = top.last, !ranksAbove(match, last) { continue }
            var low = 0, high = top.count
            while low < high {
                let mid = (low + high) / 2
                if ranksAbove(top[mid], match) { low = mid + 1 } else { high = mid }
            }
            top.insert(match, at: low)
            if top.count > limit { top.removeLast() }
        }
        return top
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
