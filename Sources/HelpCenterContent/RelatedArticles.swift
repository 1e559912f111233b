/// "You may also be interested in": the articles most similar to a given one.
///
/// Candidates are the articles sharing a tag or a title/summary term (from posting lists). Terms found
/// in more than ``termLimit`` articles (2% of them, at least 20 and at most 200) are skipped as
/// uninformative; tags in more than ``termLimit`` articles find no candidates of their own but still
/// count for candidates found otherwise. Each candidate scores 3 per shared tag, 1 per shared term, +2
/// in the same section and +1 in the same top-level category; the best five are kept (ties by title,
/// then path). When fewer than five share anything, the other articles of the same section, then of
/// the same top-level category, fill the list in display order. Each article visits at most a few
/// posting lists of at most ``termLimit`` articles, so the cost grows linearly with the article count
/// (a tag on a quarter of 50,000 articles made it quadratic). Drafts are never suggested.
struct RelatedArticles: Sendable {
    static let count = 5

    private let tree: ContentTree
    /// Tag → the published articles that have it.
    private(set) var tagPostings: [String: [Int]] = [:]
    /// Term → the published articles that have it, only the terms in at most 2% of them.
    private var termPostings: [String: [Int]] = [:]
    /// Term → the published articles that have it, every term (to find whom a changed article reaches).
    private(set) var allTermPostings: [String: [Int]] = [:]
    /// Each article's title and summary terms, and its tags (lowercased).
    private(set) var terms: [Set<String>]
    private(set) var tags: [Set<String>]
    private var topCategory: [Int?]
    /// Terms in more articles than this do not count, and tags in more find no candidates (2% of the
    /// articles, at least 20, at most 200).
    let termLimit: Int

    init(tree: ContentTree) {
        self.tree = tree
        terms = tree.articles.map { Self.terms(of: $0.title + " " + ($0.frontMatter.summary ?? "")) }
        tags = tree.articles.map { Set($0.frontMatter.tags.map { $0.lowercased() }) }
        topCategory = tree.articles.map { article in
            guard var current = article.category else { return nil }
            while let parent = tree.categories[current].parent { current = parent }
            return current
        }
        let limit = min(max(20, tree.articles.count / 50), 200)
        termLimit = limit
        for (index, article) in tree.articles.enumerated() where !article.isDraft {
            for tag in tags[index] { tagPostings[tag, default: []].append(index) }
            for term in terms[index] { termPostings[term, default: []].append(index) }
        }
        allTermPostings = termPostings
        termPostings = termPostings.filter { $0.value.count <= limit }
    }

    /// `explicit` first, then the best-scoring other published articles, `limit` in all; and whether
    /// articles of the same section or category filled the list (too few shared anything).
    /// - Parameter scores: scratch space of one `Int` per article, all zero (and left so).
    func fill(_ explicit: [Int], for index: Int, upTo limit: Int, scores: inout [Int]) -> (related: [Int], filledIn: Bool) {
        var result = Array(explicit.prefix(limit))
        guard result.count < limit else { return (result, false) }
        var touched: [Int] = []
        func add(_ other: Int, _ points: Int) {
            if scores[other] == 0 { touched.append(other) }
            scores[other] += points
        }
        var commonTags: [String] = []
        for tag in tags[index] {
            guard let list = tagPostings[tag] else { continue }
            if list.count > termLimit { commonTags.append(tag); continue }
            for other in list { add(other, 3) }
        }
        for term in terms[index] { for other in termPostings[term] ?? [] { add(other, 1) } }
        let article = tree.articles[index]
        var candidates: [(score: Int, index: Int)] = []
        candidates.reserveCapacity(touched.count)
        for other in touched {
            var total = scores[other]
            scores[other] = 0
            guard other != index, !result.contains(other) else { continue }
            for tag in commonTags where tags[other].contains(tag) { total += 3 }
            if let category = article.category, tree.articles[other].category == category { total += 2 }
            if let top = topCategory[index], topCategory[other] == top { total += 1 }
            candidates.append((total, other))
        }
        result += best(candidates, count: limit - result.count)
        let filledIn = result.count < limit
        if filledIn, let category = article.category {
            // Stops once the list is full: the section can hold thousands of articles.
            func take(_ others: [Int]) {
                for other in others {
                    guard result.count < limit else { return }
                    if other != index && !result.contains(other) { result.append(other) }
                }
            }
            take(tree.categories[category].articles)
            if result.count < limit, let top = topCategory[index] { take(tree.publishedArticles(inSubtree: top)) }
        }
        return (result, filledIn)
    }

    /// The `count` best candidates: highest score first, then by title and path. Only the candidates
    /// scoring at least the `count`-th best score are ordered by title.
    private func best(_ candidates: [(score: Int, index: Int)], count: Int) -> [Int] {
        guard count > 0, !candidates.isEmpty else { return [] }
        // The `count` highest scores, kept sorted in a tiny array: one pass, no sort of all candidates.
        var top: [Int] = []
        for candidate in candidates where top.count < count || candidate.score > top[count - 1] {
            let position = top.firstIndex { candidate.score > $0 } ?? top.count
            top.insert(candidate.score, at: position)
            if top.count > count { top.removeLast() }
        }
        let threshold = top.count < count ? Int.min : top[count - 1]
        return candidates.filter { $0.score >= threshold }.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let x = tree.articles[a.index], y = tree.articles[b.index]
            return (x.title, x.sourcePath) < (y.title, y.sourcePath)
        }.prefix(count).map(\.index)
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "can", "how", "what", "why", "when", "where", "who", "you", "your", "with",
        "from", "this", "that", "not", "does", "did", "have", "has", "will", "its", "into", "about", "which",
        "our", "out", "use", "get", "all", "any", "may", "there", "their", "them", "than", "then", "was", "were",
    ]

    static func terms(of text: String) -> Set<String> {
        var result: Set<String> = []
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count >= 3 {
            let term = String(word)
            if !stopWords.contains(term) { result.insert(term) }
        }
        return result
    }
}
