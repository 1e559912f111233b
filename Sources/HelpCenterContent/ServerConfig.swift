import Foundation
import HelpCenterMarkdown

/// The server's own settings: `helpcenter serve --config FILE` (or `HELPCENTER_CONFIG`), a YAML file
/// kept outside the content folder, because it holds or points to secrets.
///
/// ```yaml
/// server:   { host: 0.0.0.0, port: 8080, content: Content, output: Site, database: /var/lib/helpcenter/helpcenter.sqlite }
/// email:
///   transport: smtp                      # smtp | sendmail | maildrop (the default: files beside the database)
///   from: "TradeBridge Help <help@tradebridge.example>"
///   smtp:
///     host: smtp.example.com
///     port: 587                          # default 587 for starttls, 465 for tls, 25 for plain
///     security: starttls                 # starttls | tls | plain (plain to a loopback host only)
///     username: help@tradebridge.example
///     password_file: /run/secrets/smtp   # or HELPCENTER_SMTP_PASSWORD / HELPCENTER_SMTP_PASSWORD_FILE
///     ca_file: /etc/helpcenter/ca.pem    # extra CAs to trust besides the system's
///     connect_timeout: 10                # seconds
///     command_timeout: 30                # seconds per reply
///   sendmail: { path: /usr/sbin/sendmail, timeout: 30 }
/// sms:
///   transport: twilio                    # twilio | webhook | maildrop (the default)
///   url: https://api.twilio.com          # twilio: the API's base (the default); webhook: required
///   account_sid: AC0123…                 # twilio
///   from: "+15550100000"                 # twilio: the sending number
///   auth_token_file: /run/secrets/sms    # twilio; or HELPCENTER_SMS_AUTH_TOKEN(_FILE), or auth_token
///   secret_file: /run/secrets/webhook    # webhook; or HELPCENTER_SMS_WEBHOOK_SECRET(_FILE), or secret
///   timeout: 10                          # seconds per request
/// directory:
///   backend: http                        # builtin (the default: helpcenter accounts) | http
///   url: https://marketplace.example/help-center-api
///   auth: hmac                           # hmac (signed requests) | bearer
///   secret_file: /run/secrets/directory  # hmac; or HELPCENTER_DIRECTORY_SECRET(_FILE), or secret
///   token_file: /run/secrets/token       # bearer; or HELPCENTER_DIRECTORY_TOKEN(_FILE), or token
///   timeout: 5                           # seconds per request
/// ```
///
/// Every secret can also come from the environment, as the variable or as a file it names (`*_FILE`,
/// for container secrets), which win over the file. Unknown keys are errors (a misspelt key would
/// otherwise silently fall back to a default). Secrets never appear in a diagnostic.
public struct ServerConfig: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var content: String?
    public var output: String?
    public var database: String?
    public var email = Email()
    public var sms = SMS()
    public var directory = Directory()

    public struct Directory: Sendable, Equatable {
        public enum Backend: String, Sendable { case builtin, http }
        public enum Authentication: String, Sendable { case hmac, bearer }
        public var backend: Backend = .builtin
        public var url: String?
        public var authentication: Authentication = .hmac
        /// The HMAC secret or the bearer token.
        public var secret: String?
        public var timeout = 5.0
    }

    public struct SMS: Sendable, Equatable {
        public enum Transport: String, Sendable, CaseIterable { case twilio, webhook, maildrop }
        public var transport: Transport = .maildrop
        public var url = "https://api.twilio.com"
        public var accountSID: String?
        public var from: String?
        /// The secret: Twilio's auth token, or the webhook's signing secret.
        public var secret: String?
        public var timeout = 10.0
    }

    public struct Email: Sendable, Equatable {
        public enum Transport: String, Sendable, CaseIterable { case smtp, sendmail, maildrop }
        public var transport: Transport = .maildrop
        public var from: String?
        public var smtp: SMTP?
        public var sendmailPath = "/usr/sbin/sendmail"
        public var sendmailTimeout = 30.0
    }

    public struct SMTP: Sendable, Equatable {
        public var host = ""
        public var port = 587
        /// `starttls`, `tls` or `plain`.
        public var security = "starttls"
        public var username: String?
        /// The secret: from `HELPCENTER_SMTP_PASSWORD`, `HELPCENTER_SMTP_PASSWORD_FILE`, `password_file` or `password`.
        public var password: String?
        public var caFile: String?
        public var heloName: String?
        public var connectTimeout = 10.0
        public var commandTimeout = 30.0
    }

    /// The file the settings came from, and where some values stand in it (by dotted key, such as
    /// `email.smtp.security`), for problems found when the settings are used.
    public var path = ""
    public var locations: [String: SourceLocation] = [:]

    public init() {}

    /// `FILE:line:col: error: message` for the value at `key` (line 1 when unknown).
    public func error(at key: String, _ message: String) -> Diagnostic {
        Diagnostic(.error, path, locations[key] ?? SourceLocation(line: 1, column: 1), message)
    }

    /// The problems of a configuration file, each `FILE:line:col: error: what, and how to fix`.
    public struct LoadError: Error, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Reads the file at `path`, taking secrets from `environment` first.
    /// - Throws: ``LoadError`` when the file cannot be read, is not YAML, has an unknown key or a bad
    ///   value, or a secret file cannot be read.
    /// - Parameter secretsRequired: false for commands that use no peer (`outbox list`, `outbox retry`):
    ///   a missing secret is then not an error.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            secretsRequired: Bool = true) throws(LoadError) -> ServerConfig {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 1 << 20 {
            throw LoadError(diagnostics: [Diagnostic(.error, path, SourceLocation(line: 1, column: 1),
                                                     "the configuration file is over 1 MiB; is this the right file?")])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw LoadError(diagnostics: [Diagnostic(.error, path, SourceLocation(line: 1, column: 1),
                                                     "cannot read the configuration file; check the path given to --config or HELPCENTER_CONFIG")])
        }
        return try parse(text, path: path, environment: environment, secretsRequired: secretsRequired)
    }

    /// Reads configuration `text` (located as `path` in diagnostics).
    /// - Throws: ``LoadError``.
    public static func parse(_ text: String, path: String, environment: [String: String], secretsRequired: Bool = true) throws(LoadError) -> ServerConfig {
        var reader = Reader(path: path, environment: environment, secretsRequired: secretsRequired)
        let root: YAMLMapping
        do {
            root = try YAMLMapping(parsing: text, lineOffset: 0)
        } catch let error as YAMLError {
            throw LoadError(diagnostics: [Diagnostic(.error, path, error.location, error.message)])
        } catch {
            throw LoadError(diagnostics: [Diagnostic(.error, path, SourceLocation(line: 1, column: 1), "\(error)")])
        }
        var config = ServerConfig()
        config.path = path
        reader.keys(of: root, allowed: ["server", "email", "sms", "directory"], in: "")
        if let server = reader.mapping(root, "server") {
            reader.keys(of: server, allowed: ["host", "port", "content", "output", "database"], in: "server")
            config.host = reader.string(server, "host")
            config.port = reader.number(server, "port", in: 1...65535, whole: true).map(Int.init)
            config.content = reader.string(server, "content")
            config.output = reader.string(server, "output")
            config.database = reader.string(server, "database")
        }
        if let email = reader.mapping(root, "email") {
            reader.keys(of: email, allowed: ["transport", "from", "smtp", "sendmail"], in: "email")
            if let value = reader.string(email, "transport") {
                if let transport = Email.Transport(rawValue: value) {
                    config.email.transport = transport
                } else {
                    reader.error(email.location(of: "transport"), "email.transport must be smtp, sendmail or maildrop, not '\(value)'")
                }
            }
            if let from = reader.string(email, "from") {
                let address = from.firstIndex(of: "<").map { String(from[from.index(after: $0)...].prefix { $0 != ">" }) } ?? from
                let balanced = from.contains("<") == from.hasSuffix(">")
                if address.split(separator: "@").count != 2 || !balanced
                    || from.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    reader.error(email.location(of: "from"), "email.from must be an address or \"Name <address>\", e.g. \"TradeBridge Help <help@tradebridge.example>\"")
                } else {
                    config.email.from = from
                }
            } else if config.email.transport != .maildrop {
                reader.error(email.location(of: "transport"), "email.from is missing: with transport \(config.email.transport.rawValue), set the sender, e.g. from: \"TradeBridge Help <help@tradebridge.example>\"")
            }
            if let smtp = reader.mapping(email, "smtp") {
                config.email.smtp = reader.smtp(smtp)
                for key in ["host", "security", "ca_file"] { config.locations["email.smtp." + key] = smtp.location(of: key) }
            } else if config.email.transport == .smtp {
                reader.error(email.location(of: "transport"), "email.smtp is missing: with transport smtp, set at least email.smtp.host")
            }
            if let sendmail = reader.mapping(email, "sendmail") {
                reader.keys(of: sendmail, allowed: ["path", "timeout"], in: "email.sendmail")
                if let path = reader.string(sendmail, "path") {
                    if path.hasPrefix("/") { config.email.sendmailPath = path } else {
                        reader.error(sendmail.location(of: "path"), "email.sendmail.path must be an absolute path, e.g. /usr/sbin/sendmail")
                    }
                }
                config.email.sendmailTimeout = reader.number(sendmail, "timeout", in: 1...600) ?? 30
            }
        }
        if let sms = reader.mapping(root, "sms") {
            config.sms = reader.sms(sms)
            config.locations["sms.url"] = sms.location(of: sms["url"] == nil ? "transport" : "url")
        }
        if let directory = reader.mapping(root, "directory") {
            config.directory = reader.directory(directory)
            config.locations["directory.url"] = directory.location(of: directory["url"] == nil ? "backend" : "url")
        }
        if !reader.diagnostics.isEmpty { throw LoadError(diagnostics: reader.diagnostics.sorted()) }
        return config
    }

    /// Collects the diagnostics of one file.
    struct Reader {
        let path: String
        let environment: [String: String]
        let secretsRequired: Bool
        var diagnostics: [Diagnostic] = []

        /// The scalar at `key` as written, nil when absent or null; a list or mapping there is an error.
        mutating func string(_ mapping: YAMLMapping, _ key: String) -> String? {
            if let node = mapping[key], node.scalar == nil {
                error(mapping.location(of: key), "\(key) must be a single value, not a list or a mapping")
                return nil
            }
            return mapping.string(key)
        }

        mutating func error(_ location: SourceLocation, _ message: String) {
            diagnostics.append(Diagnostic(.error, path, location, message))
        }

        mutating func keys(of mapping: YAMLMapping, allowed: [String], in section: String) {
            for (key, _) in mapping.node {
                guard let name = key.scalar?.string, !allowed.contains(name) else { continue }
                let place = section.isEmpty ? "at the top level" : "in \(section)"
                error(mapping.location(of: key) ?? SourceLocation(line: 1, column: 1),
                      "unknown key '\(name)' \(place); the keys are \(allowed.joined(separator: ", ")) (see the README's Deploy section)")
            }
        }

        mutating func mapping(_ parent: YAMLMapping, _ key: String) -> YAMLMapping? {
            guard parent[key] != nil else { return nil }
            guard let mapping = parent.mapping(key) else {
                error(parent.location(of: key), "\(key) must hold 'key: value' lines, indented under it")
                return nil
            }
            return mapping
        }

        /// A decimal number (digits, at most one point) in `range`; a whole one when `whole`.
        mutating func number(_ mapping: YAMLMapping, _ key: String, in range: ClosedRange<Double>, whole: Bool = false) -> Double? {
            guard let text = string(mapping, key) else { return nil }
            let decimal = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || (!whole && $0 == ".")) } && text.filter { $0 == "." }.count <= 1
            guard decimal, let value = Double(text), range.contains(value) else {
                error(mapping.location(of: key), "\(key) must be a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)), not '\(text)'")
                return nil
            }
            return value
        }

        static func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

        mutating func smtp(_ smtp: YAMLMapping) -> SMTP {
            keys(of: smtp, allowed: ["host", "port", "security", "username", "password", "password_file", "ca_file", "helo_name",
                                     "connect_timeout", "command_timeout"], in: "email.smtp")
            var config = SMTP()
            if let host = string(smtp, "host") { config.host = host } else {
                error(smtp.location(of: "host"), "email.smtp.host is missing; set the SMTP server's name, e.g. host: smtp.example.com")
            }
            if let security = string(smtp, "security") {
                if ["starttls", "tls", "plain"].contains(security) { config.security = security } else {
                    error(smtp.location(of: "security"), "email.smtp.security must be starttls, tls or plain, not '\(security)'")
                }
            }
            config.port = number(smtp, "port", in: 1...65535, whole: true).map(Int.init) ?? (config.security == "tls" ? 465 : config.security == "plain" ? 25 : 587)
            config.username = string(smtp, "username")
            config.caFile = string(smtp, "ca_file")
            if let caFile = config.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                error(smtp.location(of: "ca_file"), "cannot read the CA file '\(caFile)'; give the path of a PEM file")
            }
            config.heloName = string(smtp, "helo_name")
            config.connectTimeout = number(smtp, "connect_timeout", in: 1...300) ?? 10
            config.commandTimeout = number(smtp, "command_timeout", in: 1...600) ?? 30
            config.password = secret("HELPCENTER_SMTP_PASSWORD", in: smtp, key: "password")
            if secretsRequired && config.username != nil && config.password == nil && diagnostics.isEmpty {
                error(smtp.location(of: "username"), "email.smtp.username is set but there is no password; set HELPCENTER_SMTP_PASSWORD, HELPCENTER_SMTP_PASSWORD_FILE or password_file")
            }
            return config
        }

        mutating func sms(_ sms: YAMLMapping) -> SMS {
            keys(of: sms, allowed: ["transport", "url", "timeout", "account_sid", "from", "auth_token", "auth_token_file", "secret", "secret_file"], in: "sms")
            var config = SMS()
            if let value = string(sms, "transport") {
                if let transport = SMS.Transport(rawValue: value) { config.transport = transport } else {
                    error(sms.location(of: "transport"), "sms.transport must be twilio, webhook or maildrop, not '\(value)'")
                }
            }
            if let url = url(sms, "url", in: "sms", example: "https://sms.example.com/send") {
                config.url = url
            } else if config.transport == .webhook && sms["url"] == nil {
                error(sms.location(of: "transport"), "sms.url is missing: with transport webhook, set the URL the signed requests go to")
            }
            config.timeout = number(sms, "timeout", in: 1...120) ?? 10
            switch config.transport {
            case .twilio:
                config.accountSID = string(sms, "account_sid")
                config.from = string(sms, "from")
                config.secret = secret("HELPCENTER_SMS_AUTH_TOKEN", in: sms, key: "auth_token")
                for (value, key) in [(config.accountSID, "account_sid"), (config.from, "from")] where value == nil {
                    error(sms.location(of: "transport"), "sms.\(key) is missing: with transport twilio, set account_sid and from (the sending number)")
                }
                if secretsRequired && config.secret == nil {
                    error(sms.location(of: "transport"), "the Twilio auth token is missing; set HELPCENTER_SMS_AUTH_TOKEN, HELPCENTER_SMS_AUTH_TOKEN_FILE or sms.auth_token_file")
                }
            case .webhook:
                config.secret = secret("HELPCENTER_SMS_WEBHOOK_SECRET", in: sms, key: "secret")
                if secretsRequired && config.secret == nil {
                    error(sms.location(of: "transport"), "the webhook's signing secret is missing; set HELPCENTER_SMS_WEBHOOK_SECRET, HELPCENTER_SMS_WEBHOOK_SECRET_FILE or sms.secret_file")
                }
            case .maildrop:
                break
            }
            return config
        }

        mutating func directory(_ directory: YAMLMapping) -> Directory {
            keys(of: directory, allowed: ["backend", "url", "auth", "secret", "secret_file", "token", "token_file", "timeout"], in: "directory")
            var config = Directory()
            if let value = string(directory, "backend") {
                if let backend = Directory.Backend(rawValue: value) { config.backend = backend } else {
                    error(directory.location(of: "backend"), "directory.backend must be builtin or http, not '\(value)'")
                }
            }
            if let value = string(directory, "auth") {
                if let authentication = Directory.Authentication(rawValue: value) { config.authentication = authentication } else {
                    error(directory.location(of: "auth"), "directory.auth must be hmac or bearer, not '\(value)'")
                }
            }
            config.timeout = number(directory, "timeout", in: 1...60) ?? 5
            guard config.backend == .http else {
                for key in ["url", "secret", "secret_file", "token", "token_file"] where directory[key] != nil {
                    error(directory.location(of: key), "directory.\(key) is set, but the backend is builtin; set backend: http, or remove \(key)")
                }
                return config
            }
            config.url = url(directory, "url", in: "directory", example: "https://marketplace.example/help-center-api")
            if config.url == nil && directory["url"] == nil {
                error(directory.location(of: "backend"), "directory.url is missing: with backend http, set the base URL of the marketplace's account API")
            }
            switch config.authentication {
            case .hmac:
                config.secret = secret("HELPCENTER_DIRECTORY_SECRET", in: directory, key: "secret")
                if secretsRequired && config.secret == nil {
                    error(directory.location(of: "backend"), "the directory's signing secret is missing; set HELPCENTER_DIRECTORY_SECRET, HELPCENTER_DIRECTORY_SECRET_FILE or directory.secret_file")
                }
            case .bearer:
                config.secret = secret("HELPCENTER_DIRECTORY_TOKEN", in: directory, key: "token")
                if secretsRequired && config.secret == nil {
                    error(directory.location(of: "backend"), "the directory's bearer token is missing; set HELPCENTER_DIRECTORY_TOKEN, HELPCENTER_DIRECTORY_TOKEN_FILE or directory.token_file")
                }
            }
            return config
        }

        /// An http(s) URL without credentials in it (they would be printed at start): nil, with an
        /// error, when it is something else. Whether http is allowed (loopback only) is the client's check.
        mutating func url(_ mapping: YAMLMapping, _ key: String, in section: String, example: String) -> String? {
            guard let text = string(mapping, key) else { return nil }
            let lower = text.lowercased()
            let authority = text.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard (lower.hasPrefix("https://") || lower.hasPrefix("http://")), !authority.isEmpty, !authority.contains("@"),
                  !text.contains(where: { $0.isWhitespace }) else {
                error(mapping.location(of: key), "\(section).\(key) must be an https URL without credentials in it (they go in the secret or token), e.g. \(example)")
                return nil
            }
            return text
        }

        /// A secret: the variable `name`, the file named by `name_FILE`, the file at `key_file`, or
        /// `key`, the first that is set. A file's final line break is dropped; an empty secret is an error.
        mutating func secret(_ name: String, in mapping: YAMLMapping, key: String) -> String? {
            let value = anySecret(name, in: mapping, key: key)
            if value?.isEmpty == true {
                error(mapping.location(of: mapping[key + "_file"] != nil ? key + "_file" : key),
                      "the secret for \(key) is empty (from \(environment[name].map { _ in name } ?? environment[name + "_FILE"].map { _ in name + "_FILE" } ?? key)); give the secret itself")
            }
            return value
        }

        mutating func anySecret(_ name: String, in mapping: YAMLMapping, key: String) -> String? {
            if let value = environment[name] { return value }
            if let file = environment[name + "_FILE"] {
                guard let value = Self.read(file) else {
                    diagnostics.append(Diagnostic(.error, "environment", SourceLocation(line: 1, column: 1),
                                                  "\(name)_FILE names a file that cannot be read; give the path of a readable file holding the secret"))
                    return nil
                }
                return value
            }
            if let file = string(mapping, key + "_file") {
                guard let value = Self.read(file) else {
                    error(mapping.location(of: key + "_file"), "cannot read the secret file named in \(key)_file; give the path of a readable file holding the secret")
                    return nil
                }
                return value
            }
            return string(mapping, key)
        }

        static func read(_ path: String) -> String? {
            guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else { return nil }
            while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
            return text
        }
    }
}
