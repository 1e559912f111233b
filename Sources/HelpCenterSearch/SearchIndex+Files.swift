import Foundation
import HelpCenterContent

/// The index as files under `Site/search/`, split so that a browser downloads only what a query needs:
///
/// - `index.json`: format version, document count, top-level categories, each document's category and
///   number of title words, and the lists of shards that exist;
/// - `words/<key>.json`: folded surface word → term, for the words starting with one character (prefix
///   search, typo correction and highlighting read one shard);
/// - `postings/<key>.json`: term → postings, for the terms starting with two characters; a term's
///   postings are base64 of unsigned LEB128 varints: for each document, the gap from the previous
///   document, the score (×1000) and the section bit mask (bit 31: the term is in the title);
/// - `docs/<n>.json`: document `n` (title, URL, categories, summary, tags, sections), for results.
///
/// Shard and document files are gzip-compressed (`.json.gz`), as Pagefind's are. `<key>` is the
/// lowercase hex of the key's UTF-8 bytes. JSON keys are sorted, so the same site gives byte-identical files.
extension SearchIndex {
    public static let formatVersion = 1

    struct Manifest: Codable {
        var version: Int
        var documents: Int
        var categories: [Category]
        var documentCategory: [Int]
        var titleWords: [Int]
        var wordShards: [String]
        var postingShards: [String]
    }

    /// The files of the index: path inside `search/` → bytes.
    /// - Parameter cache: the files of an earlier build (`serve --watch`): a shard or document whose
    ///   content did not change is not encoded and compressed again. The bytes are the same without it.
    public func files(cache: Cache? = nil) -> [(path: String, data: Data)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var wordShards: [String: [String: String]] = [:]
        for (word, term) in words { wordShards[Self.shardKey(word, characters: 1), default: [:]][word] = term }
        var postingShards: [String: [String: String]] = [:]
        for (term, list) in postings { postingShards[Self.shardKey(term, characters: 2), default: [:]][term] = Self.encode(list) }
        var files: [(String, Data)] = []
        let manifest = Manifest(version: Self.formatVersion, documents: documents.count, categories: categories,
                                documentCategory: documentCategory, titleWords: titleWords, wordShards: wordShards.keys.sorted(), postingShards: postingShards.keys.sorted())
        files.append(("index.json", try! encoder.encode(manifest)))
        let shards = wordShards.sorted(by: { $0.key < $1.key }).map { ("words/\($0.key).json.gz", $0.value) }
            + postingShards.sorted(by: { $0.key < $1.key }).map { ("postings/\($0.key).json.gz", $0.value) }
        let shardFiles = ParallelMap.map(shards) { path, shard in
            if let data = cache?.file(path, content: shard) { return (path, data) }
            let data = Gzip.compress(try! encoder.encode(shard))
            cache?.store(data, path: path, content: shard)
            return (path, data)
        }
        let documentFiles = ParallelMap.map(Array(documents.enumerated())) { number, document in
            let path = "docs/\(number).json.gz"
            if let data = cache?.file(path, content: document) { return (path, data) }
            let data = Gzip.compress(try! encoder.encode(document))
            cache?.store(data, path: path, content: document)
            return (path, data)
        }
        cache?.keepFiles(Set((shardFiles + documentFiles).map(\.0)))
        return files + shardFiles + documentFiles
    }

    /// Errors reading an index folder.
    public enum LoadError: Error, CustomStringConvertible {
        case missing(path: String)
        case unreadable(path: String, reason: String)
        case unsupportedVersion(Int)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): error: no search index here; run helpcenter build first (it writes search/ into the site)"
            case .unreadable(let path, let reason): return "\(path): error: the search index is damaged (\(reason)); run helpcenter build again"
            case .unsupportedVersion(let version): return "error: search index format \(version) is not supported by this helpcenter (expects \(SearchIndex.formatVersion)); run helpcenter build again"
            }
        }
    }

    /// Loads the whole index from a site's `search/` folder.
    /// - Throws: ``LoadError`` when the folder is missing, a file does not decode, or the version differs.
    public static func load(from folder: URL) throws -> SearchIndex {
        let decoder = JSONDecoder()
        func read<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
            let url = folder.appendingPathComponent(path)
            guard var data = try? Data(contentsOf: url) else {
                throw path == "index.json" ? LoadError.missing(path: folder.path) : LoadError.unreadable(path: url.path, reason: "file missing")
            }
            do {
                if path.hasSuffix(".gz") { data = try Gzip.decompress(data) }
                return try decoder.decode(type, from: data)
            } catch {
                throw LoadError.unreadable(path: url.path, reason: "\(error)")
            }
        }
        let manifest = try read(Manifest.self, "index.json")
        guard manifest.version == formatVersion else { throw LoadError.unsupportedVersion(manifest.version) }
        var words: [String: String] = [:]
        for key in manifest.wordShards { words.merge(try read([String: String].self, "words/\(key).json.gz")) { a, _ in a } }
        var postings: [String: [Posting]] = [:]
        for key in manifest.postingShards {
            for (term, encoded) in try read([String: String].self, "postings/\(key).json.gz") {
                guard let list = decode(encoded) else { throw LoadError.unreadable(path: folder.appendingPathComponent("postings/\(key).json.gz").path, reason: "bad postings for '\(term)'") }
                postings[term] = list
            }
        }
        let documents = try (0..<manifest.documents).map { try read(SearchDocument.self, "docs/\($0).json.gz") }
        return SearchIndex(documents: documents, categories: manifest.categories, documentCategory: manifest.documentCategory,
                           postings: postings, words: words, titleWords: manifest.titleWords)
    }

    /// The shard of `key`: hex of the UTF-8 bytes of its first `characters` Unicode scalars.
    public static func shardKey(_ key: String, characters: Int) -> String {
        var hex = ""
        for scalar in key.unicodeScalars.prefix(characters) {
            for byte in String(scalar).utf8 { hex += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }
        }
        return hex
    }

    static func encode(_ postings: [Posting]) -> String {
        var bytes: [UInt8] = []
        var previous = 0
        func varint(_ value: Int) {
            var v = UInt64(value)
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        for posting in postings {
            varint(posting.document - previous)
            varint(posting.score)
            varint(Int(posting.sections))
            previous = posting.document
        }
        return Data(bytes).base64EncodedString()
    }

    static func decode(_ encoded: String) -> [Posting]? {
        guard let data = Data(base64Encoded: encoded) else { return nil }
        let bytes = [UInt8](data)
        var index = 0
        func varint() -> Int? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(value) }
                shift += 7
            }
            return nil
        }
        var postings: [Posting] = []
        var document = 0
        while index < bytes.count {
            guard let gap = varint(), let score = varint(), let sections = varint() else { return nil }
            document += gap
            postings.append(Posting(document: document, score: score, sections: UInt32(truncatingIfNeeded: sections)))
        }
        return postings
    }
}
