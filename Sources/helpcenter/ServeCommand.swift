import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterFeedback
import HelpCenterReset
import HelpCenterServer
import HelpCenterSite
import Logging
import ServiceLifecycle

/// `helpcenter serve`: builds the site when it is missing or stale, then serves it with the search
/// API and the password-reset walkthrough.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the help center, its search API and the password-reset walkthrough.",
        discussion: """
            Builds the site first when the output folder is missing or older than a file of the content \
            folder. Stops gracefully on Ctrl-C (SIGINT) and SIGTERM.
            With --demo, a new database gets two demo accounts (printed at start) and /demo/inbox shows \
            the messages the server "sent". Without it, email goes through the transport the \
            configuration file names (SMTP or sendmail), and messages with no transport configured \
            are written as files into a mail-drop folder beside the database.
            """
    )

    @OptionGroup var configFile: ConfigOption

    @Option(name: .customLong("content"), help: "The content folder (default: the config's server.content, else Content).")
    var contentOption: String?

    @Option(name: .customLong("output"), help: "The built site folder, built from the content when missing or stale (default: server.output, else Site).")
    var outputOption: String?

    @Option(name: .customLong("host"), help: "The address to listen on (default: server.host, else 127.0.0.1).")
    var hostOption: String?

    @Option(name: .customLong("port"), help: "The port to listen on (default: server.port, else 8080).")
    var portOption: Int?

    @Option(name: .customLong("database"), help: "The SQLite database of accounts and reset flows, created when missing; its secret key is kept beside it in PATH.secret (default: server.database, else helpcenter.sqlite).")
    var databaseOption: String?

    @Flag(name: .long, help: "Demo mode: demo accounts, and messages shown at /demo/inbox instead of sent.")
    var demo = false

    @Flag(name: .long, help: "Rebuild when a content or theme file changes and reload open pages; build problems show in the pages.")
    var watch = false

    func run() async throws {
        let settings = try configFile.load()
        let content = contentOption ?? settings.content ?? "Content"
        let output = outputOption ?? settings.output ?? "Site"
        let host = hostOption ?? settings.host ?? "127.0.0.1"
        let port = portOption ?? settings.port ?? 8080
        let databasePath = databaseOption ?? settings.database ?? "helpcenter.sqlite"
        // Every setting is checked before anything is built or opened.
        let inbox = demo ? CapturedDelivery() : nil
        let mailDrop = MailDropDelivery(folder: URL(fileURLWithPath: databasePath + ".maildrop"))
        let delivery: any Delivery = try inbox ?? settings.delivery(site: ContentTree.loadConfig(from: content), content: content, fallback: mailDrop)
        let directory = try settings.accountDirectory()
        if demo && directory != nil { throw ValidationError("--demo seeds demo accounts into the built-in tables; leave it out with directory.backend http") }
        // With --watch the site is always built first: the build fills the cache later rebuilds start from.
        let cache = watch ? BuildCache() : nil
        var problems: [String] = []
        if try watch || Self.isStale(content: content, output: output) {
            problems = try BuildCommand.build(content: content, output: output, cache: cache)
        }
        let config = ContentTree.loadConfig(from: content)  // the site is built: only its settings are needed here
        if !problems.isEmpty {
            // Start anyway: the last good site, or a page listing the problems, until they are fixed.
            if FileManager.default.fileExists(atPath: output + "/404.html") {
                say("the content has errors (above): serving the last good site in \(output)/ until they are fixed")
            } else if try SiteBuilder.writeProblemsSite(problems, title: config.title, into: URL(fileURLWithPath: output, isDirectory: true)) {
                say("the content has errors (above) and there is no earlier site: \(output)/ lists them until they are fixed")
            } else {
                throw ValidationError("the content has errors and '\(output)' holds no site to serve; fix the errors, or choose another --output")
            }
        }
        var logger = Logger(label: "helpcenter")
        logger.logLevel = .info

        let database = try await ResetDatabase.open(path: databasePath, logger: logger)
        let secrets = try ResetSecrets.loadOrCreate(at: databasePath + ".secret")
        let hasher = PasswordHasher()
        let address = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let baseURL = demo ? address + config.pathPrefix : config.baseURL
        let supportContact = config.support?.email ?? config.support?.url ?? "support"
        let service = ResetService(
            store: database.store, directory: directory, secrets: secrets, hasher: hasher,
            policy: PasswordPolicy(minimumLength: config.passwordMinimumLength ?? PasswordPolicy.defaultMinimumLength),
            site: .init(name: config.title, baseURL: baseURL, supportContact: supportContact), logger: logger)
        if demo { try await DemoAccounts.seed(AccountStore(store: database.store, hasher: hasher)) }

        let live = watch ? LiveReload() : nil
        let feedback = database.feedback
        let server = try HelpCenterServer(
            configuration: .init(host: host, port: port, siteFolder: output, root: config.pathPrefix, siteTitle: config.title,
                                 language: config.language, supportEmail: config.support?.email,
                                 secureCookies: !demo && config.baseURL.hasPrefix("https://")),
            service: service, inbox: inbox, feedback: feedback, live: live)
        let outbox = Outbox(store: database.store, delivery: delivery, logger: logger)

        if server.ignoredRedirects > 0 {
            logger.error("\(output)/\(RedirectTable.fileName): \(server.ignoredRedirects) redirect rules ignored: they leave the site, lie under the server's own routes or replace a built file (the file was edited after the build)")
        }
        say("serving \(output)/ at \(address)\(config.pathPrefix)/")
        say("  search API:      \(address)\(config.pathPrefix)/api/search?q=forgot%20password")
        say("  sign in:         \(address)\(config.pathPrefix)/account/sign-in")
        say("  reset password:  \(address)\(config.pathPrefix)/account/reset")
        if demo {
            say("  demo inbox:      \(address)\(config.pathPrefix)/demo/inbox")
            for account in DemoAccounts.accounts {
                let extras = [account.phone.map { "phone \($0)" }, account.questions.isEmpty ? nil : "security answers: "
                              + account.answers.map { "'\($0)'" }.joined(separator: ", ")].compactMap { $0 }
                say("  demo account:    \(account.email), password '\(account.password)'\(extras.isEmpty ? "" : "; " + extras.joined(separator: "; "))")
            }
        } else {
            let drop = "written into \(databasePath).maildrop/ (none configured)"
            switch settings.email.transport {
            case .maildrop: say("  email:           " + drop)
            case .smtp: say("  email:           SMTP to \(settings.email.smtp?.host ?? ""):\(settings.email.smtp?.port ?? 0) (\(settings.email.smtp?.security ?? ""))")
            case .sendmail: say("  email:           \(settings.email.sendmailPath) -t -oi")
            }
            say("  text messages:   " + (settings.sms.transport == .maildrop ? drop : "\(settings.sms.transport.rawValue) gateway at \(settings.sms.url)"))
            say("  accounts:        " + (directory.map { "the marketplace's API at \($0.url)" } ?? "built-in (helpcenter accounts)"))
        }
        if watch { say("  watching:        \(content)/ (rebuilds on change; open pages reload)") }
        say("Press Ctrl-C to stop.")
        var services: [any Service] = [OutboxService(outbox: outbox)]
        if live == nil { services.append(SiteReloader(server: server, folder: output, logger: logger)) }
        if let live, let cache {
            if problems.isEmpty { server.reloadSite(search: cache.searchIndex) } else { await live.publish(.problems(problems)) }
            services.append(SiteWatcher(content: content, output: output, server: server, live: live, cache: cache, logger: logger))
        }
        try await server.application(services: services, logger: logger).runService()
        try await database.close()
    }

    /// Writes a start-up line at once (standard output is not buffered this way, also through a pipe).
    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// True when `output` has no site, or a file under `content` or this `helpcenter` (with its
    /// default theme) changed after the site was built.
    static func isStale(content: String, output: String) throws -> Bool {
        let marker = URL(fileURLWithPath: output).appendingPathComponent(SiteBuilder.marker)
        guard let built = (try? FileManager.default.attributesOfItem(atPath: marker.path))?[.modificationDate] as? Date else { return true }
        if let executable = Bundle.main.executableURL,
           let modified = (try? FileManager.default.attributesOfItem(atPath: executable.path))?[.modificationDate] as? Date, modified > built {
            return true
        }
        guard let files = FileManager.default.enumerator(at: URL(fileURLWithPath: content), includingPropertiesForKeys: [.contentModificationDateKey]) else {
            return true
        }
        for case let url as URL in files {
            if let modified = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate, modified > built { return true }
        }
        return false
    }
}
