// One import record: an export folder (Zendesk Guide style) with one category and one article whose
// text is the input, converted by ExportImporter (front matter, callouts, legacy links, related lists).
import Foundation
import HelpCenterImport

func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-import-\(getpid())") }

let source: URL = {
    let source = folder()
    let category = source.appendingPathComponent("getting-started")
    try! FileManager.default.createDirectory(at: category, withIntermediateDirectories: true)
    try! Data(#"{"id": 115000239054, "name": "Getting Started", "description": "First steps.", "position": 1}"#.utf8)
        .write(to: category.appendingPathComponent(".group.json"))
    try! Data("---\ntitle: Other article\nid: 115000000002\n---\nSee the [first](https://support.example.com/hc/en-us/articles/115000000001).\n".utf8)
        .write(to: category.appendingPathComponent("other-article.md"))
    atexit { try? FileManager.default.removeItem(at: folder()) }
    return source
}()
let input = source.appendingPathComponent("getting-started/input.md")

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    try! Data(bytes: start, count: count).write(to: input)
    _ = try? ExportImporter(source: source, legacyURL: "https://support.example.com/hc/en-us/articles/{id}").convert()
    return 0
}
