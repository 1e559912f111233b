// Front matter: the YAML between the first two `---` lines of an article, and the body after it.
import HelpCenterContent

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let (frontMatter, body, bodyLineOffset, diagnostics) = FrontMatter.split(text, path: "fuzz/article.md")
    precondition(bodyLineOffset >= 0, "negative body line offset")
    precondition(body.utf8.count <= text.utf8.count + 3, "the body is longer than the file")
    _ = (frontMatter.title, frontMatter.tags.count, diagnostics.count)
    return 0
}
