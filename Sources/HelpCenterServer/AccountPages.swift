import Foundation
import HelpCenterReset
import HelpCenterSite
import Mustache

/// The account pages (sign-in, the four reset steps, the demo inbox): Mustache templates in
/// `Pages/` in the help center's look, and the static files they use, served from a fixed list.
struct AccountPages: Sendable {
    let library: MustacheLibrary
    /// `/account/assets/<name>` → (content type, bytes).
    let assets: [String: (type: String, data: Data)]
    let site: SiteInfo

    /// What every page shows of the site.
    struct SiteInfo: Sendable {
        var title: String
        var language: String
        /// The site's path prefix (`""` or `/help`).
        var root: String
        var supportEmail: String?
        /// Articles linked from the steps, by topic; only the ones the built site has.
        var help: [Topic: Link]

        enum Topic: Sendable { case forgotPassword, emailCode, smsCode }
    }

    struct Link: Sendable {
        var title: String
        var url: String
    }

    /// - Throws: when a template in the bundle does not parse (a build problem, not a user's).
    init(site: SiteInfo) throws {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Pages")
        var library = MustacheLibrary()
        var assets: [String: (type: String, data: Data)] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let url = folder.appendingPathComponent(name)
            if name.hasSuffix(".mustache") {
                try library.register(PageEscaping.template(String(contentsOf: url, encoding: .utf8)), named: String(name.dropLast(".mustache".count)))
            } else if let type = types[url.pathExtension] {
                assets[name] = (type, try Data(contentsOf: url))
            }
        }
        self.library = library
        self.assets = assets
        self.site = site
    }

    /// The fields every page has, and the ones of its template.
    struct Page {
        var title: String
        var step: Int?
        var csrf: String
        var error: String?
        var notice: String?
        var help: [Link] = []
        var proofOfWork = false
        /// Template-specific values.
        var values: [String: Any] = [:]
    }

    func render(_ template: String, _ page: Page) -> String {
        var context: [String: Any] = [
            "lang": site.language, "root": site.root, "siteTitle": site.title, "title": page.title, "csrf": page.csrf,
            "help": page.help.map { ["title": $0.title, "url": $0.url] }, "hasHelp": !page.help.isEmpty,
            "proofOfWork": page.proofOfWork,
        ]
        if let step = page.step { context["step"] = step }
        if let error = page.error { context["error"] = error }
        if let notice = page.notice { context["notice"] = notice }
        if let support = site.supportEmail { context["support"] = support }
        context.merge(page.values) { _, new in new }
        return library.render(context, withTemplate: template) ?? ""
    }

    func links(_ topics: [SiteInfo.Topic]) -> [Link] { topics.compactMap { site.help[$0] } }
}
