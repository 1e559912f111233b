extension MarkdownDocument {
    /// Diagnostics for the raw HTML of this document under `policy`: each node that `drop` leaves out,
    /// each tag or attribute that `sanitize` removes, and each placeholder (`<your name>`) shown as text.
    /// `trusted` reports nothing.
    public func rawHTMLDiagnostics(policy: RawHTMLPolicy) -> [MarkdownDiagnostic] {
        var result: [MarkdownDiagnostic] = []
        for node in rawHTML {
            let snippet = node.html.trimmingSpaces.prefix(40)
            switch policy {
            case .trusted:
                continue
            case .drop:
                if RawHTMLTag.name(node.html) == nil && node.html.hasPrefix("<!--") { continue }
                result.append(MarkdownDiagnostic(.warning, at: node.location,
                    "raw HTML '\(snippet)' dropped (raw_html: drop in site.yml); write it in Markdown, or set raw_html: sanitize"))
            case .sanitize:
                if !node.isBlock && RawHTMLTag.isPlaceholder(node.html) {
                    result.append(MarkdownDiagnostic(.warning, at: node.location,
                        "'\(snippet)' is not an HTML tag and is shown as text; write it as \\\(snippet) or in `backticks` to say so"))
                    continue
                }
                let removed = HTMLSanitizer.sanitize(node.html).removed
                if !removed.isEmpty {
                    result.append(MarkdownDiagnostic(.warning, at: node.location,
                        "raw HTML sanitized: removed \(removed.joined(separator: ", ")); only the tags and attributes listed in the README are kept"))
                }
            }
        }
        return result
    }
}
