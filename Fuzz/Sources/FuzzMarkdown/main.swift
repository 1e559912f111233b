// Markdown → HTML: libcmark's parse, the tree conversion, anchors, tables, callouts, the URL policy and
// the raw-HTML sanitizer (libxml2), under each raw-HTML policy, with the raw-HTML diagnostics.
import HelpCenterMarkdown

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let document = MarkdownDocument(parsing: text)
    for policy in RawHTMLPolicy.allCases {
        let html = HTMLRenderer(rawHTML: policy).render(document)
        _ = document.rawHTMLDiagnostics(policy: policy)
        if policy != .trusted {
            // Whatever the input, sanitized or dropped raw HTML never yields a script element.
            precondition(!containsScriptTag(html), "a <script> element came through: \(html)")
        }
    }
    return 0
}

/// Whether `html` has `<script` in any case (without lowercasing a copy, which cost a tenth of the run).
func containsScriptTag(_ html: String) -> Bool {
    let tag = Array("<script".utf8)
    let bytes = Array(html.utf8)
    guard bytes.count >= tag.count else { return false }
    for start in 0...(bytes.count - tag.count) where bytes[start] == UInt8(ascii: "<") {
        if (1..<tag.count).allSatisfy({ bytes[start + $0] | 0x20 == tag[$0] }) { return true }
    }
    return false
}
