import Foundation
import HelpCenterSite
import Testing

/// The HTML part of the help center's email: the theme's `email.mustache`, made from the text part.
@Suite struct EmailModelTests {
    let text = "Your verification code is 482913. It works for 15 minutes.\n\nIf you did not ask, ignore this <b>message</b>.\nhttps://help.example/account/reset/code"

    @Test func theDefaultTemplateShowsTheCodeTheParagraphsAndTheLinkEscaped() throws {
        let html = try Theme.load(overrideFolder: nil).renderEmail(EmailModel(siteName: "Trade & Co", siteURL: "https://help.example",
                                                                            subject: "Your code", text: text, language: "de"))
        #expect(html.contains("<html lang=\"de\">") && html.contains("<title>Your code</title>"))
        #expect(html.contains(">482913</p>"), "the code on its own, large")
        #expect(html.contains("<a href=\"https://help.example/account/reset/code\""))
        #expect(html.contains("ignore this &lt;b&gt;message&lt;/b&gt;.") && html.contains("Trade &amp; Co"))
        #expect(html.components(separatedBy: "<p style=\"margin:0 0 16px\">").count == 3, "two paragraphs")
    }

    @Test func aThemeFolderOverridesTheEmailTemplate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("email-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "<p>{{siteName}}: {{code}}</p>".write(to: folder.appendingPathComponent("email.mustache"), atomically: true, encoding: .utf8)
        let html = try Theme.load(overrideFolder: folder).renderEmail(EmailModel(siteName: "TradeBridge", siteURL: "https://help.example",
                                                                               subject: "s", text: text))
        #expect(html == "<p>TradeBridge: 482913</p>")
    }
}
