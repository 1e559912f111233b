import Foundation
import HelpCenterContent

/// A full-text index of the published articles, built with the site and queried by the terminal,
/// the server's `/api/search` and (from its files, by `search.js`) the pages themselves.
///
/// Every (term, article) pair holds a precomputed score, so a query only adds numbers up:
/// BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework", 2009) over four fields with
/// weights title 6 > headings 3 > summary and tags 2 > body 1, b = 0.75 (title and body) and 0.5 (headings, summary), k1 = 1.2, plus one extra IDF for a term
/// found in the title, so that an article titled with the query outranks one that only repeats the
/// words in its body (BM25F saturation caps body repetition below that). Each pair also records which
/// sections of the article contain the term, for sub-results that link to headings.
public struct SearchIndex: Sendable {
    /// One article containing a term: its number, its score (×1000, rounded) and a bit per section.
    public struct Posting: Sendable, Equatable {
        public var document: Int
        public var score: Int
        public var sections: UInt32
    }

    /// A top-level category, for filters and counts.
    public struct Category: Sendable, Codable, Equatable {
        public var title: String
        public var url: String

        public init(title: String, url: String) {
            self.title = title
            self.url = url
        }
    }

    public internal(set) var documents: [SearchDocument]
    public internal(set) var categories: [Category]
    /// For each document, the index of its top-level category in ``categories`` (-1: none).
    public internal(set) var documentCategory: [Int]
    /// Stemmed term → postings, by ascending document.
    public internal(set) var postings: [String: [Posting]]
    /// Folded surface word (`cancellation`) → its term (`cancel`): for prefixes, typos and highlighting.
    public internal(set) var words: [String: String]
    /// For each document, the number of words of its title that are indexed (stop words left out).
    public internal(set) var titleWords: [Int]
    /// ``words`` grouped by first Unicode scalar (the browser's word shards), each group in UTF-8 order:
    /// prefixes (a range found by binary search) and typos look in one group.
    let wordsByFirstScalar: [Unicode.Scalar: [VocabularyWord]]

    /// A folded surface word of the index, with what prefix and typo matching ask of it.
    struct VocabularyWord: Sendable {
        var word: String
        var term: String
        /// Its Unicode scalars (`search.js` counts and compares code points), for typo matching.
        var scalars: [Unicode.Scalar]
        var length: Int { scalars.count }
        /// Whether it has a joiner (`order_1001`, `sign-in`).
        var isCompound: Bool
    }
    /// The words of the documents' texts, for highlighting: made by the first search that shows results.
    let wordTable = WordTable.Lazy()

    static let fieldWeights: [Double] = [6, 3, 2, 1]
    static let fieldB: [Double] = [0.75, 0.5, 0.5, 0.75]
    static let k1 = 1.2
    static let titleBonus = 1.0

    /// Term frequencies per field, section masks, field lengths and surface words of one document,
    /// in flat arrays (a build holds one for every article until the postings are made: dictionaries
    /// of small arrays took about 30 KB an article, these about a quarter of that).
    struct Analysis: Sendable {
        /// The document's distinct terms.
        var terms: [String] = []
        /// Occurrences of `terms[i]` in field f at `counts[4 * i + f]` (title, headings, summary and tags, body).
        var counts: [Int32] = []
        /// The sections `terms[i]` occurs in, a bit each (bit 31: the title).
        var sections: [UInt32] = []
        var lengths = [0, 0, 0, 0]
        /// Folded surface words and their terms, each word once.
        var words: [(word: String, term: String)] = []
        var titleWords = 0
    }

    /// Tokenizes a document once: title (field 0), section headings (1), summary and tags (2) and
    /// section texts (3), recording for each term the sections it occurs in.
    static func analyze(_ document: SearchDocument) -> Analysis {
        let analyzer = Analyzer()
        var result = Analysis()
        var slots: [String: Int] = [:]
        var words: Set<String> = []
        func add(_ text: String, field: Int, section: Int?) {
            let tokens = analyzer.tokens(text)
            result.lengths[field] += tokens.count
            for token in tokens {
                let slot: Int
                if let known = slots[token.term] {
                    slot = known
                } else {
                    slot = result.terms.count
                    slots[token.term] = slot
                    result.terms.append(token.term)
                    result.counts += [0, 0, 0, 0]
                    result.sections.append(0)
                }
                result.counts[4 * slot + field] += 1
                if let section { result.sections[slot] |= 1 << UInt32(section) }
                if words.insert(token.word).inserted { result.words.append((token.word, token.term)) }
            }
        }
        add(document.title, field: 0, section: 31)  // bit 31: in the title
        result.titleWords = Set(analyzer.tokens(document.title).map(\.position)).count
        add(([document.summary] + document.tags).joined(separator: "\n"), field: 2, section: nil)
        for (index, section) in document.sections.enumerated() {
            add(section.heading, field: 1, section: index)
            add(section.text, field: 3, section: index)
        }
        return result
    }

    init(documents: [SearchDocument], categories: [Category], documentCategory: [Int], postings: [String: [Posting]], words: [String: String], titleWords: [Int]) {
        self.documents = documents
        self.categories = categories
        self.documentCategory = documentCategory
        self.postings = postings
        self.words = words
        self.titleWords = titleWords
        var groups: [Unicode.Scalar: [VocabularyWord]] = [:]
        for (word, term) in words {
            guard let first = word.unicodeScalars.first else { continue }
            groups[first, default: []].append(VocabularyWord(word: word, term: term, scalars: Array(word.unicodeScalars),
                                                             isCompound: word.unicodeScalars.contains(where: Analyzer.isJoiner)))
        }
        wordsByFirstScalar = groups.mapValues { $0.sorted { $0.word.utf8.lexicographicallyPrecedes($1.word.utf8) } }
    }

    /// Builds the index of `documents` (in the order given: a document's number is its position).
    /// - Parameter categories: the top-level categories; a document belongs to the one whose title is
    ///   the first of its ``SearchDocument/categories``.
    ///   - cache: analyses of an earlier build (`serve --watch`): documents that did not change are not
    ///     tokenized again. The index is the same with or without it.
    public init(documents: [SearchDocument], categories: [Category], cache: Cache? = nil) {
        let categoryIndex = Dictionary(categories.enumerated().map { ($1.title, $0) }, uniquingKeysWith: { a, _ in a })
        let analyzed = ParallelMap.map(documents) { document in
            if let analysis = cache?.analysis(of: document) { return analysis }
            let analysis = Self.analyze(document)
            cache?.store(analysis, of: document)
            return analysis
        }
        cache?.keepAnalyses(of: documents)
        var words: [String: String] = [:]
        for document in analyzed { for (word, term) in document.words where words[word] == nil { words[word] = term } }
        let count = Double(max(1, documents.count))
        let averages = (0..<4).map { field in max(1, Double(analyzed.reduce(0) { $0 + $1.lengths[field] }) / count) }
        var documentFrequency: [String: Int] = [:]
        for analysis in analyzed { for term in analysis.terms { documentFrequency[term, default: 0] += 1 } }
        var postings: [String: [Posting]] = [:]
        for (document, analysis) in analyzed.enumerated() {
            for (slot, term) in analysis.terms.enumerated() {
                let n = Double(documentFrequency[term] ?? 1)
                let idf = log(1 + (count - n + 0.5) / (n + 0.5))
                var pseudo = 0.0
                for field in 0..<4 where analysis.counts[4 * slot + field] > 0 {
                    let norm = 1 - Self.fieldB[field] + Self.fieldB[field] * Double(analysis.lengths[field]) / averages[field]
                    pseudo += Self.fieldWeights[field] * Double(analysis.counts[4 * slot + field]) / norm
                }
                var score = idf * pseudo / (Self.k1 + pseudo)
                if analysis.counts[4 * slot] > 0 { score += Self.titleBonus * idf }
                postings[term, default: []].append(Posting(document: document, score: Int((score * 1000).rounded()),
                                                           sections: analysis.sections[slot]))
            }
        }
        self.init(documents: documents, categories: categories,
                  documentCategory: documents.map { $0.categories.first.flatMap { categoryIndex[$0] } ?? -1 },
                  postings: postings, words: words, titleWords: analyzed.map(\.titleWords))
    }
}
