import HelpCenterContent
import Synchronization

/// The words of every indexed text (each article's title, summary, and its sections' headings and
/// texts), split as ``Highlighter/pieces(of:)`` splits them and analyzed once per distinct word, so
/// that a query ranks sections and cuts snippets by looking numbers up instead of scanning and
/// analyzing text (that scan was two thirds of a search's time).
///
/// Made on the first search that shows results (``Lazy``), not with the index: a build never needs
/// it. Memory: 8 bytes per word of text, plus each distinct word's terms.
final class WordTable: Sendable {
    /// One document's words, text after text (``Text``).
    struct Words: Sendable {
        /// Each word's id (an index into ``WordTable/lengths``).
        let ids: [UInt32]
        /// Each word's UTF-8 offset in its text.
        let starts: [UInt32]
        /// Where each text's words begin in `ids` and `starts`, and one past the last.
        let bounds: [Int]

        func range(of text: Int) -> Range<Int> { bounds[text]..<bounds[text + 1] }
    }

    /// The numbers of a document's texts in ``Words``.
    enum Text {
        static let title = 0
        static let summary = 1
        static func heading(_ section: Int) -> Int { 2 + 2 * section }
        static func body(_ section: Int) -> Int { 3 + 2 * section }
    }

    /// By document number, as in ``SearchIndex/documents``.
    let documents: [Words]
    /// Each distinct word's length in UTF-8 bytes, by id.
    let lengths: [UInt32]
    /// Term → the ids of the words whose analysis yields it, an id once per such token (`sign-in`
    /// yields `sign-in`, `sign` and `in`).
    let idsByTerm: [String: [UInt32]]

    /// The texts of `document` in ``Text`` order (the summary alone: tags are not shown in snippets).
    static func texts(of document: SearchDocument) -> [String] {
        [document.title, document.summary] + document.sections.flatMap { [$0.heading, $0.text] }
    }

    init(documents: [SearchDocument]) {
        // Each document is split in parallel with ids of its own; the ids are then made global.
        let local = ParallelMap.map(documents) { document -> (words: [String], ids: [UInt32], starts: [UInt32], bounds: [Int]) in
            var known: [Substring: UInt32] = [:]
            var words: [String] = []
            var ids: [UInt32] = [], starts: [UInt32] = [], bounds: [Int] = []
            for text in Self.texts(of: document) {
                bounds.append(ids.count)
                for piece in Highlighter.pieces(of: text) where piece.isWord {
                    let id = known[piece.text] ?? {
                        let id = UInt32(words.count)
                        known[piece.text] = id
                        words.append(String(piece.text))
                        return id
                    }()
                    ids.append(id)
                    starts.append(UInt32(text.utf8.distance(from: text.startIndex, to: piece.text.startIndex)))
                }
            }
            bounds.append(ids.count)
            return (words, ids, starts, bounds)
        }
        var global: [String: UInt32] = [:]
        var distinct: [String] = []
        self.documents = local.map { document in
            let ids = document.words.map { word in
                global[word] ?? {
                    let id = UInt32(distinct.count)
                    global[word] = id
                    distinct.append(word)
                    return id
                }()
            }
            return Words(ids: document.ids.map { ids[Int($0)] }, starts: document.starts, bounds: document.bounds)
        }
        lengths = distinct.map { UInt32($0.utf8.count) }
        let terms = ParallelMap.map(distinct) { word in Analyzer().tokens(word).map(\.term) }
        var idsByTerm: [String: [UInt32]] = [:]
        for (id, wordTerms) in terms.enumerated() { for term in wordTerms { idsByTerm[term, default: []].append(UInt32(id)) } }
        self.idsByTerm = idsByTerm
    }

    /// The table of an index, made once, on first use, by whichever search needs it first (the others
    /// wait for it).
    final class Lazy: Sendable {
        private let table = Mutex<WordTable?>(nil)

        init() {}

        func table(of documents: [SearchDocument]) -> WordTable {
            table.withLock { table in
                if let table { return table }
                let made = WordTable(documents: documents)
                table = made
                return made
            }
        }
    }
}
