/// "You may also be interested in": the articles most similar to a given one.
///
/// Similarity = 3 × shared tags + 2 × same section + 1 × same top-level category + shared title and
/// summary terms (lowercased words of 3+ letters, minus stop words). Candidates come from posting lists
/// of tags and terms (terms found in more than 2% of articles are skipped as uninformative), so the
/// cost grows with the number of candidates, not with the square of the article count. Ties are broken
/// by title, then path, so the result is deterministic. Drafts are never suggested.
struct RelatedArticles {
    static let count = 5

    private let tree: ContentTree
    private var tagPostings: [String: [Int]] = [:]
    private var termPostings: [String: [Int]] = [:]
    private var terms: [Set<String>]
    private var tags: [Set<String>]

    init(tree: ContentTree) {
        self.tree = tree
        terms = tree.articles.map { Self.terms(of: $0.title + " " + ($0.frontMatter.summary ?? "")) }
        tags = tree.articles.map { Set($0.frontMatter.tags.map { $0.lowercased() }) }
        let limit = max(20, tree.articles.count / 50)
        for (index, article) in tree.articles.enumerated() where !article.isDraft {
            for tag in tags[index] { tagPostings[tag, default: []].append(index) }
            for term in terms[index] { termPostings[term, default: []].append(index) }
        }
        termPostings = termPostings.filter { $0.value.count <= limit }
    }

    /// `explicit` first, then the best-scoring other published articles, `limit` in all.
    func fill(_ explicit: [Int], for index: Int, upTo limit: Int) -> [Int] {
        var result = Array(explicit.prefix(limit))
        guard result.count < limit else { return result }
        var scores: [Int: Int] = [:]
        for tag in tags[index] { for other in tagPostings[tag] ?? [] { scores[other, default: 0] += 3 } }
        for term in terms[index] { for other in termPostings[term] ?? [] { scores[other, default: 0] += 1 } }
        let article = tree.articles[index]
        if let category = article.category {
            for other in tree.categories[category].articles { scores[other, default: 0] += 2 }
            let top = topCategory(category)
            if top != category { for other in tree.categories[top].articles { scores[other, default: 0] += 1 } }
        }
        scores[index] = nil
        for taken in result { scores[taken] = nil }
        let ranked = scores.filter { !tree.articles[$0.key].isDraft }.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            let a = tree.articles[lhs.key], b = tree.articles[rhs.key]
            return (a.title, a.sourcePath) < (b.title, b.sourcePath)
        }
        result += ranked.prefix(limit - result.count).map(\.key)
        return result
    }

    private func topCategory(_ index: Int) -> Int {
        var current = index
        while let parent = tree.categories[current].parent { current = parent }
        return current
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
