import Foundation
import Synchronization

extension SearchIndex {
    /// What `serve --watch` keeps of one index build for the next: each document's analysis (its
    /// tokens, by document content) and each index file's bytes (by what the file holds), so that a
    /// rebuild after one edit tokenizes and compresses only what that edit changed. Safe to use from
    /// several threads.
    public final class Cache: Sendable {
        private struct File {
            var content: AnyHashable
            var data: Data
        }

        /// URL → the document as last analyzed, and its analysis (looked up by URL, then compared:
        /// cheaper than hashing every document's text).
        private let analyses = Mutex<[String: (document: SearchDocument, analysis: Analysis)]>([:])
        private let files = Mutex<[String: File]>([:])

        public init() {}

        func analysis(of document: SearchDocument) -> Analysis? {
            analyses.withLock { analyses in
                guard let entry = analyses[document.url], entry.document == document else { return nil }
                return entry.analysis
            }
        }

        func store(_ analysis: Analysis, of document: SearchDocument) {
            analyses.withLock { $0[document.url] = (document, analysis) }
        }

        func keepAnalyses(of documents: [SearchDocument]) {
            let kept = Set(documents.map(\.url))
            analyses.withLock { analyses in analyses = analyses.filter { kept.contains($0.key) } }
        }

        /// The bytes of `path` when it was last made from the same `content`.
        func file<Content: Hashable & Sendable>(_ path: String, content: Content) -> Data? {
            files.withLock { files in
                guard let file = files[path], file.content == AnyHashable(content) else { return nil }
                return file.data
            }
        }

        func store<Content: Hashable & Sendable>(_ data: Data, path: String, content: Content) {
            files.withLock { $0[path] = File(content: AnyHashable(content), data: data) }
        }

        func keepFiles(_ paths: Set<String>) {
            files.withLock { files in files = files.filter { paths.contains($0.key) } }
        }
    }
}
