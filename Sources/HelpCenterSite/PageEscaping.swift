import HelpCenterMarkdown
import Mustache

/// The escaping of `{{value}}` in theme templates: `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`,
/// `&gt;`, `&quot;` and `&#39;`, as swift-mustache's own HTML content type does (HTML Living Standard
/// §13.1: safe in text and in quoted attribute values), by ``HTMLEscaping`` over UTF-8 bytes.
/// swift-mustache's compares every `Character` with a dictionary, which was a tenth of a build, and
/// left a `"` or `<` followed by a combining mark unescaped (one `Character` that is not in its table:
/// `x"\u{301} onmouseover=…` left a quoted attribute). Every template gets it through ``template(_:)``.
public struct PageEscaping: MustacheContentType {
    static let name = "HelpCenterHTML"
    /// The swift-mustache configuration tag that makes a template escape with this type, on a line of
    /// its own (a standalone tag: the line leaves no trace in the output).
    static let pragma = "{{% CONTENT_TYPE: \(name) }}\n"

    /// Registers the type with swift-mustache (once, before the first template is parsed).
    private static let registered: Void = MustacheContentTypes.register(PageEscaping(), named: name)

    /// `text`, a Mustache template, made to escape its values with this type.
    public static func template(_ text: String) -> String {
        registered
        return pragma + text
    }

    public func escapeText(_ text: String) -> String {
        HTMLEscaping.escape(text, apostrophes: true)
    }
}
