// Link and anchor checking over a small content tree: one article's text is the input; the tree is
// loaded whole (front matter, categories, URL claims, links and anchors, related).
import Foundation
import HelpCenterContent

func folder() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-links-\(getpid())").path }

/// The tree, written once per process into a temporary folder.
let root: String = {
    let root = folder()
    let files = [
        "site.yml": "title: Fuzz Help Center\nbase_url: https://help.example.com/help\n",
        "orders/_category.yml": "title: Orders\norder: 1\nsummary: Placing and tracking orders.\n",
        "orders/track-an-order.md": """
            ---
            title: Track an order
            id: "1001"
            tags: [orders, tracking]
            related: [../account/password/reset.md, "2001"]
            aliases: [/old/track/]
            ---
            ## Where is my order? {#where}
            See [reset](../account/password/reset.md#step-1-open-the-page) and [the input](../input.md#a).

            ## Where is my order?
            ![map](images/map.png)

            """,
        "orders/images/map.png": "PNG",
        "account/password/_category.yml": "title: Password\n",
        "account/password/reset.md": """
            ---
            title: Reset your password
            id: "2001"
            ---
            ## Step 1: Open the page
            Go to [tracking](/orders/track-an-order.md#where) or </a/1001/>.

            """,
    ]
    for (path, text) in files {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: url)
    }
    atexit { try? FileManager.default.removeItem(atPath: folder()) }
    return root
}()
let input = URL(fileURLWithPath: root).appendingPathComponent("input.md")

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    try! Data(bytes: start, count: count).write(to: input)
    let tree = try! ContentTree.load(from: root)
    _ = tree.diagnostics.count
    return 0
}
