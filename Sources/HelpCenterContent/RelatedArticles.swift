/// "You may also be interested in": the articles most similar to a given one.
///
/// Candidates are the articles sharing a tag or a title/summary term (from posting lists; terms found
/// in more than 2% of articles are skipped as uninformative). Each scores 3 per shared tag, 1 per shared
/// term, +2 in the same section and +1 in the same top-level category; the best five are kept (ties by
/// title, then path). When fewer than five share anything, the other articles of the same section, then
/// of the same top-level category, fill the list in display order. The cost grows with the number of
/// candidates, not with the square of the article count. Drafts are never suggested.
struct RelatedArticles {
    static let count = 5

    private let tree: ContentTree
    private var tagPostings: [String: [Int]] = [:]
    private var termPostings: [String: [Int]] = [:]
    private var terms: [Set<String>]
    private var tags: [Set<String>]
    private var topCategory: [Int?]

    init(tree: ContentTree) {
        self.tree = tree
        terms = tree.articles.map { Self.terms(of: $0.title + " " + ($0.frontMatter.summary ?? "")) }
        tags = tree.articles.map { Set($0.frontMatter.tags.map { $0.lowercased() }) }
        topCategory = tree.articles.map { article in
            guard var current = article.category else { return nil }
            while let parent = tree.categories[current].parent { current = parent }
            return current
        }
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
        var best: [(score: Int, index: Int)] = []
        for (other, score) in scores where other != index && !result.contains(other) {
            var total = score
            if let category = article.category, tree.articles[other].category == category { total += 2 }
            if let top = topCategory[index], topCategory[other] == top { total += 1 }
            insert((total, other), into: &best, keeping: limit - result.count)
        }
        result += best.map(\.index)
        if result.count < limit, let category = article.category {
            let fallback = tree.categories[category].articles + (topCategory[index].map { tree.publishedArticles(inSubtree: $0) } ?? [])
            for other in fallback where result.count < limit && other != index && !result.contains(other) {
                result.append(other)
            }
        }
        return result
    }

    /// Keeps `best` sorted (highest score first, then title and path) and at most `count` long.
    private func insert(_ candidate: (score: Int, index: Int), into best: inout [(score: Int, index: Int)], keeping count: Int) {
        func precedes(_ a: (score: Int, index: Int), _ b: (score: Int, index: Int)) -> Bool {
            if a.score != b.score { return a.score > b.score }
            let x = tree.articles[a.index], y = tree.articles[b.index]
            return (x.title, x.sourcePath) < (y.title, y.sourcePath)
        }
        if best.count == count, let last = best.last, !precedes(candidate, last) { return }
        let position = best.firstIndex { precedes(candidate, $0) } ?? best.count
        best.insert(candidate, at: position)
        if best.count > count { best.removeLast() }
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
