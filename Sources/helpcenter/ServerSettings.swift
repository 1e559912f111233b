import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterDelivery
import HelpCenterReset
import HelpCenterSite

/// `--config FILE` (or `HELPCENTER_CONFIG`): the server configuration file, shared by `serve` and `outbox`.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server configuration file (YAML; see the README's Deploy section). Default: $HELPCENTER_CONFIG.",
                                            valueName: "file"))
    var config: String?

    /// The file's settings, or the defaults when no file is named.
    /// - Throws: `ExitCode(64)` (EX_USAGE) after writing the file's problems on standard error, one
    ///   `FILE:line:col: error: …` line each, as a build's are (no usage text after them).
    func load(secretsRequired: Bool = true) throws -> ServerConfig {
        guard let path = config ?? ProcessInfo.processInfo.environment["HELPCENTER_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return ServerConfig()
        }
        do {
            return try ServerConfig.load(path: path, secretsRequired: secretsRequired)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(64)
        }
    }
}

extension ServerConfig {
    /// The email transport the configuration names, nil for the mail drop.
    /// - Throws: `ValidationError` when the SMTP client cannot be made (plain to a remote host, a CA file that does not load).
    func emailTransport() throws -> EmailDelivery.Transport? {
        switch email.transport {
        case .maildrop:
            return nil
        case .sendmail:
            return .sendmail(SendmailTransport(path: email.sendmailPath, timeout: email.sendmailTimeout))
        case .smtp:
            guard let smtp = email.smtp, let security = SMTPClient.Configuration.Security(rawValue: smtp.security) else { return nil }
            do {
                return .smtp(try SMTPClient(configuration: .init(
                    host: smtp.host, port: smtp.port, security: security, username: smtp.username, password: smtp.password,
                    caFile: smtp.caFile, heloName: smtp.heloName ?? SMTPClient.hostName(),
                    connectTimeout: smtp.connectTimeout, commandTimeout: smtp.commandTimeout)))
            } catch {
                throw ValidationError(self.error(at: security == .plain ? "email.smtp.security" : "email.smtp.ca_file", "\(error)").description)
            }
        }
    }

    /// Where messages go: email through the configured transport (HTML part from the theme's
    /// `email.mustache`), text messages through the configured gateway; each to `fallback` (the
    /// mail drop) when none is configured.
    /// - Throws: `ValidationError` when a transport cannot be made.
    func delivery(site: SiteConfig, content: String, fallback: any Delivery) throws -> any Delivery {
        ChannelRouter(email: try emailDelivery(site: site, content: content) ?? fallback, sms: try smsDelivery() ?? fallback)
    }

    func emailDelivery(site: SiteConfig, content: String) throws -> EmailDelivery? {
        guard let transport = try emailTransport(), let from = email.from else { return nil }
        let theme = try Theme.load(overrideFolder: site.theme.map { URL(fileURLWithPath: content).appendingPathComponent($0, isDirectory: true) })
        let siteName = site.title, siteURL = site.baseURL, language = site.language
        return EmailDelivery(transport: transport, from: from, html: { message in
            theme.renderEmail(EmailModel(siteName: siteName, siteURL: siteURL, subject: message.subject, text: message.body, language: language))
        })
    }

    /// The marketplace's account API, nil for the built-in tables.
    /// - Throws: `ValidationError` at `directory.url` when it is not https to a host other than loopback.
    func accountDirectory() throws -> HTTPAccountDirectory? {
        guard directory.backend == .http, let url = directory.url else { return nil }
        let authentication: HTTPAccountDirectory.Authentication = directory.authentication == .hmac
            ? .hmac(secret: directory.secret ?? "") : .bearer(token: directory.secret ?? "")
        do {
            return try HTTPAccountDirectory(url: url, authentication: authentication, timeout: directory.timeout)
        } catch {
            throw ValidationError(self.error(at: "directory.url", "\((error as? AccountDirectoryUnavailable)?.reason ?? "\(error)")").description)
        }
    }

    func smsDelivery() throws -> SMSDelivery? {
        let style: SMSGateway.Style
        switch sms.transport {
        case .maildrop: return nil
        case .twilio: style = .twilio(accountID: sms.accountSID ?? "", authToken: sms.secret ?? "", from: sms.from ?? "")
        case .webhook: style = .webhook(secret: sms.secret ?? "")
        }
        do {
            return SMSDelivery(gateway: try SMSGateway(style: style, url: sms.url, timeout: sms.timeout))
        } catch {
            throw ValidationError(self.error(at: "sms.url", "\(error)").description)
        }
    }
}
