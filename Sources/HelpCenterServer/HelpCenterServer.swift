import Foundation
import HelpCenterContent
import HelpCenterMarkdown
import HelpCenterFeedback
import HelpCenterForm
import HelpCenterReset
import HelpCenterSearch
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `helpcenter serve`: the built site, `GET /api/search`, and the sign-in and password-reset pages,
/// on Hummingbird 2.
///
/// Static files come from the site folder through Hummingbird's `FileMiddleware` (pretty URLs:
/// `/x/` serves `x/index.html`, `/x` redirects to `/x/`; paths with `..` after percent-decoding are
/// refused with 400, so nothing outside the folder is served; pages and search files are revalidated
/// on each use, other files cached for an hour; plain `GET`s answered from memory by
/// ``SiteResponseCache`` while the file is unchanged). Permalinks and aliases are real 301s
/// (from the build's `_redirects`); unknown paths get the site's `404.html` with status 404.
public struct HelpCenterServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The built site folder.
        public var siteFolder: String
        /// The site's path prefix from its base URL (`""` or `/help`).
        public var root: String
        public var siteTitle: String
        public var language: String
        public var supportEmail: String?
        /// True when served over TLS (directly or behind a TLS proxy): cookies get `Secure` and `__Host-`,
        /// and every response `Strict-Transport-Security`.
        public var secureCookies: Bool

        public init(host: String = "127.0.0.1", port: Int = 8080, siteFolder: String, root: String = "", siteTitle: String,
                    language: String = "en", supportEmail: String? = nil, secureCookies: Bool = false) {
            self.host = host
            self.port = port
            self.siteFolder = siteFolder
            self.root = root
            self.siteTitle = siteTitle
            self.language = language
            self.supportEmail = supportEmail
            self.secureCookies = secureCookies
        }
    }

    let configuration: Configuration
    let account: AccountController
    let feedback: FeedbackController?
    /// What the server reads from the built site; replaced after a rebuild (``reloadSite()``).
    let site: SiteState

    final class SiteState: Sendable {
        private let files: Mutex<SiteFiles>
        init(_ files: SiteFiles) { self.files = Mutex(files) }
        func withLock<T>(_ body: (inout SiteFiles) -> T) -> T { files.withLock { body(&$0) } }
    }
    /// The site's responses kept in memory (shared by every router made from this server).
    let responses = SiteResponseCache.Entries()
    /// Set by `serve --watch`: pages get the live-reload script and `/_watch/events` exists.
    let live: LiveReload?

    /// The search index, redirects and 404 page of the built site.
    struct SiteFiles: Sendable {
        var search: SearchIndex?
        var redirects: [String: String]
        /// Rules of `_redirects.json` left out as unsafe (not written by a build: the file was edited).
        var ignoredRedirects = 0
        var notFoundPage: ByteBuffer

        /// - Parameter prefix: the site's path prefix (`""` or `/help`); redirect sources outside it are ignored.
        init(folder: String, prefix: String, search: SearchIndex? = nil) throws {
            let site = URL(fileURLWithPath: folder)
            guard let notFound = try? Data(contentsOf: site.appendingPathComponent("404.html")) else {
                throw ServerError(message: "\(folder): error: not a built site (no 404.html); run helpcenter build first")
            }
            notFoundPage = ByteBuffer(data: notFound)
            self.search = search ?? (try? SearchIndex.load(from: site.appendingPathComponent("search")))
            if let index = self.search { Task.detached(priority: .utility) { index.prepareSnippets() } }
            let table = (try? Data(contentsOf: site.appendingPathComponent(RedirectTable.fileName))) ?? Data()
            (redirects, ignoredRedirects) = RedirectTable.load(table, prefix: prefix)
        }
    }

    /// Rules of the site's `_redirects.json` left out because they were not safe (see ``RedirectTable/load(_:prefix:)``).
    public var ignoredRedirects: Int { site.withLock { $0.ignoredRedirects } }

    /// Reads the site's redirects and 404 page again (after `serve --watch` rebuilt it), and its
    /// search index too unless the build hands it over as `search`.
    public func reloadSite(search: SearchIndex? = nil) {
        if let files = try? SiteFiles(folder: configuration.siteFolder, prefix: configuration.root, search: search) { site.withLock { $0 = files } }
    }

    /// - Parameters:
    ///   - inbox: the demo inbox, which only `--demo` passes: `/demo/inbox` exists only then.
    ///   - feedback: where helpfulness votes and missed searches go (nil: no feedback API).
    /// - Throws: when the site folder has no `404.html` (it is not a built site) or a template is broken.
    public init(configuration: Configuration, service: ResetService, inbox: CapturedDelivery? = nil, feedback: FeedbackStore? = nil,
                live: LiveReload? = nil) throws {
        self.configuration = configuration
        self.site = SiteState(try SiteFiles(folder: configuration.siteFolder, prefix: configuration.root))
        self.live = live
        let site = URL(fileURLWithPath: configuration.siteFolder)
        func link(_ id: String, _ title: String) -> AccountPages.Link? {
            FileManager.default.fileExists(atPath: site.appendingPathComponent("a/\(id)/index.html").path)
                ? AccountPages.Link(title: title, url: configuration.root + "/a/\(id)/") : nil
        }
        let help: [AccountPages.SiteInfo.Topic: AccountPages.Link?] = [
            .forgotPassword: link("101001", "What can I do if I forgot my password?"),
            .emailCode: link("101002", "Why can't I receive the email verification code?"),
            .smsCode: link("101003", "Why can't I receive the SMS verification code?"),
        ]
        let pages = try AccountPages(site: .init(title: configuration.siteTitle, language: configuration.language, root: configuration.root,
                                                 supportEmail: configuration.supportEmail, help: help.compactMapValues { $0 }))
        account = AccountController(service: service, pages: pages, secureCookies: configuration.secureCookies, inbox: inbox)
        let state = self.site
        self.feedback = feedback.map { store in
            FeedbackController(store: store, clientKey: { service.clientIdentifier($0) }, root: configuration.root, clock: { service.currentDate() },
                               article: { [state] path in
                                   let (redirects, search) = state.withLock { ($0.redirects, $0.search) }
                                   let url = redirects[SitePath.encoded(path)].map(SafeURL.percentDecoded) ?? path
                                   return search?.documents.contains { $0.url == url } == true ? url : nil
                               })
        }
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The routes and middleware, for the application and for in-process tests.
    public func router() -> Router<HelpCenterRequestContext> {
        let router = Router(context: HelpCenterRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(root: configuration.root, strictTransportSecurity: configuration.secureCookies))
        if live != nil { router.add(middleware: LiveReloadMiddleware(root: configuration.root)) }
        router.add(middleware: NotFoundMiddleware(page: { self.site.withLock { $0.notFoundPage } }))
        router.add(middleware: ServiceUnavailableMiddleware(page: { [account] in account.unavailablePage($0) }))
        router.add(middleware: PathSafetyMiddleware())
        router.add(middleware: RedirectMiddleware(rules: { self.site.withLock { $0.redirects } }))
        router.add(middleware: SiteResponseCache(folder: configuration.siteFolder, root: configuration.root, entries: responses))
        router.add(middleware: FileMiddleware(
            configuration.siteFolder,
            urlBasePath: configuration.root.isEmpty ? nil : configuration.root,
            // Pages and the search index change with every build: revalidated (ETag, Last-Modified).
            cacheControl: .init([(.textHtml, [.noCache]), (.applicationJson, [.noCache]), (.applicationGzip, [.noCache]),
                                 (MediaType(type: .any), [.public, .maxAge(3600)])]),
            searchForIndexHtml: true))
        router.get(RouterPath(configuration.root + "/api/search")) { request, _ in try await self.searchAPI(request) }
        account.register(on: router, root: configuration.root)
        feedback?.register(on: router)
        if let live {
            router.get(RouterPath(configuration.root + "/_watch/events")) { _, _ in await live.response() }
            router.get(RouterPath(configuration.root + "/_watch/reload.js")) { _, _ in
                Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                         body: .init(byteBuffer: ByteBuffer(string: LiveReload.script)))
            }
        }
        return router
    }

    /// The Hummingbird application on the configured host and port, with `services` (the outbox
    /// worker) run beside it; `runService()` stops it gracefully on SIGINT and SIGTERM.
    public func application(services: [any Service] = [], logger: Logger) -> some ApplicationProtocol {
        // Connections idle for 30 s are closed, so half-sent requests cannot hold the server's sockets.
        Application(router: router(), server: .http1(configuration: .init(idleTimeout: .seconds(30))),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                    services: services, logger: logger)
    }

    /// `GET /api/search?q=…&category=…&limit=…` (form-encoded: `+` or `%20` for a space) → the
    /// ``SearchResponse`` JSON; a bad or repeated parameter → 400 with `{"error": "…"}`.
    func searchAPI(_ request: Request) async throws -> Response {
        func json(_ bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
            Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        func problem(_ message: String, status: HTTPResponse.Status = .badRequest) throws -> Response {
            json(try JSONEncoder().encode(["error": message]), status: status)
        }
        guard let search = site.withLock({ $0.search }) else { return try problem("this site has no search index; run helpcenter build", status: .serviceUnavailable) }
        // Decoded as a form (`+` is a space, as browsers and curl --data-urlencode send it).
        guard let parameters = try? StrictForm(body: request.uri.query ?? "", allowed: ["q", "limit", "category"], ignoringOthers: true) else {
            return try problem("the query string is malformed: give q, limit and category once each, percent-encoded")
        }
        let query = parameters["q"]
        guard query.utf8.count <= 500 else { return try problem("q is longer than 500 bytes") }
        var options = SearchOptions()
        if let limit = parameters.fields["limit"] {
            guard let value = Int(limit), (1...100).contains(value) else { return try problem("limit must be a whole number from 1 to 100") }
            options.limit = value
        }
        if let category = parameters.fields["category"], !category.isEmpty {
            guard search.categoryIndex(named: category) != nil else {
                return try problem("no top-level category is named '\(category)'; use a category title or the last part of its URL")
            }
            options.category = category
        }
        return json(search.search(query, options: options).json())
    }
}

/// Sends the outbox's messages while the server runs; stops on graceful shutdown.
public struct OutboxService: Service {
    let outbox: Outbox

    public init(outbox: Outbox) { self.outbox = outbox }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await outbox.run() }
    }
}
