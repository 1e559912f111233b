import Foundation
import Mustache

/// What the theme's `email.mustache` renders: the HTML part of an email the help center sends,
/// made from the message's plain text so both parts always say the same.
///
/// The text is split into paragraphs at blank lines; a line that is a URL becomes a link, and a
/// six-digit verification code is also shown on its own, large (`{{code}}`).
public struct EmailModel: Sendable {
    public struct Line: Sendable {
        public var text: String
        /// Set when the line is an http(s) URL.
        public var href: String?
    }
    public struct Paragraph: Sendable {
        public var lines: [Line]
    }

    public var siteName: String
    /// The site's address (`base_url`), linked in the footer.
    public var siteURL: String
    public var subject: String
    public var code: String?
    public var paragraphs: [Paragraph]
    /// The language of the text (`lang` of the page).
    public var language: String

    public init(siteName: String, siteURL: String, subject: String, text: String, language: String = "en") {
        self.siteName = siteName
        self.siteURL = siteURL
        self.subject = subject
        self.language = language
        code = text.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) }
        paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").map { block in
            Paragraph(lines: block.split(separator: "\n").map { line in
                let text = String(line)
                let isURL = (text.hasPrefix("https://") || text.hasPrefix("http://")) && !text.contains(where: \.isWhitespace)
                return Line(text: text, href: isURL ? text : nil)
            })
        }.filter { !$0.lines.isEmpty }
    }
}

extension Theme {
    /// The HTML part of an email, from the theme's `email.mustache` (a site's theme folder may
    /// override it like any template).
    public func renderEmail(_ model: EmailModel) -> String {
        render(model, template: "email")
    }
}

extension EmailModel: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "siteName": siteName
        case "siteURL": siteURL
        case "subject": subject
        case "lang": language
        case "code": code
        case "paragraphs": paragraphs
        default: nil
        }
    }
}

extension EmailModel.Paragraph: MustacheParent {
    public func child(named name: String) -> Any? { name == "lines" ? lines : nil }
}

extension EmailModel.Line: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "href": href
        default: nil
        }
    }
}
