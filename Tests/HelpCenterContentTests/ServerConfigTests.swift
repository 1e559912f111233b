import Foundation
import HelpCenterContent
import Testing

/// Issue 16: the server configuration file, with secrets from the environment or files.
@Suite struct ServerConfigTests {
    static let full = """
        server:
          host: 0.0.0.0
          port: 8081
          content: /srv/help/Content
          output: /srv/help/Site
          database: /var/lib/helpcenter/helpcenter.sqlite
        email:
          transport: smtp
          from: "TradeBridge Help <help@tradebridge.example>"
          smtp:
            host: smtp.example.com
            security: tls
            username: help@tradebridge.example
            password: from-the-file
            helo_name: help.tradebridge.example
            connect_timeout: 5
            command_timeout: 20
          sendmail:
            path: /usr/sbin/sendmail
            timeout: 15
        """

    @Test func everyKeyIsRead() throws {
        let config = try ServerConfig.parse(Self.full, path: "server.yml", environment: [:])
        #expect(config.host == "0.0.0.0" && config.port == 8081 && config.content == "/srv/help/Content" && config.output == "/srv/help/Site")
        #expect(config.database == "/var/lib/helpcenter/helpcenter.sqlite")
        #expect(config.email.transport == .smtp && config.email.from == "TradeBridge Help <help@tradebridge.example>")
        let smtp = try #require(config.email.smtp)
        #expect(smtp.host == "smtp.example.com" && smtp.port == 465 && smtp.security == "tls" && smtp.username == "help@tradebridge.example")
        #expect(smtp.password == "from-the-file" && smtp.heloName == "help.tradebridge.example" && smtp.connectTimeout == 5 && smtp.commandTimeout == 20)
        #expect(config.email.sendmailPath == "/usr/sbin/sendmail" && config.email.sendmailTimeout == 15)
        #expect(try ServerConfig.parse("email:\n  transport: smtp\n  from: a@b.example\n  smtp:\n    host: h\n", path: "s.yml", environment: [:]).email.smtp?.port == 587)
    }

    @Test func aSecretComesFromTheEnvironmentThenAFileItNamesThenTheConfigFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let envFile = folder.appendingPathComponent("env-secret").path, configFile = folder.appendingPathComponent("config-secret").path
        try "from-env-file\n".write(toFile: envFile, atomically: true, encoding: .utf8)
        try "from-config-file\r\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        let withFile = Self.full.replacingOccurrences(of: "password: from-the-file", with: "password: from-the-file\n    password_file: \(configFile)")
        func password(_ text: String, _ environment: [String: String]) throws -> String? {
            try ServerConfig.parse(text, path: "server.yml", environment: environment).email.smtp?.password
        }
        #expect(try password(withFile, ["HELPCENTER_SMTP_PASSWORD": "from-env", "HELPCENTER_SMTP_PASSWORD_FILE": envFile]) == "from-env")
        #expect(try password(withFile, ["HELPCENTER_SMTP_PASSWORD_FILE": envFile]) == "from-env-file")
        #expect(try password(withFile, [:]) == "from-config-file")
        #expect(try password(Self.full, [:]) == "from-the-file")
    }

    /// Each problem: `FILE:line:col: error: what, and how to fix`, all of them at once, never a secret.
    @Test(arguments: [
        ("server:\n  prot: 80\n", "server.yml:2:3: error: unknown key 'prot' in server; the keys are host, port, content, output, database"),
        ("server:\n  port: eighty\n", "server.yml:2:9: error: port must be a number from 1 to 65535, not 'eighty'"),
        ("email:\n  transport: smtps\n", "server.yml:2:14: error: email.transport must be smtp, sendmail or maildrop, not 'smtps'"),
        ("email:\n  transport: smtp\n  smtp:\n    host: h\n", "server.yml:2:14: error: email.from is missing"),
        ("email:\n  transport: smtp\n  from: a@b.example\n  smtp:\n    host: h\n    security: ssl\n", "server.yml:6:15: error: email.smtp.security must be starttls, tls or plain, not 'ssl'"),
        ("email:\n  transport: smtp\n  from: a@b.example\n  smtp:\n    host: h\n    username: u\n", "server.yml:6:15: error: email.smtp.username is set but there is no password"),
        ("email:\n  transport: smtp\n  from: a@b.example\n  smtp:\n    host: h\n    username: u\n    password_file: /nonexistent/secret\n",
         "server.yml:7:20: error: cannot read the secret file named in password_file"),
        ("email:\n  transport: [smtp, x]\n", "server.yml:2:14: error: transport must be a single value, not a list or a mapping"),
        ("server:\n  port: 58.7\n", "server.yml:2:9: error: port must be a number from 1 to 65535, not '58.7'"),
        ("email:\n  from: \"Help <help@example.com>\\r\\nBcc: evil@attacker.example\"\n", "server.yml:2:9: error: email.from must be an address"),
        ("email:\n  from: \"Help <help@example.com\"\n", "server.yml:2:9: error: email.from must be an address"),
        ("email:\n  from: not an address\n", "server.yml:2:9: error: email.from must be an address"),
        ("email: [1, 2]\n", "server.yml:1:8: error: email must hold 'key: value' lines"),
        ("server:\n\tport: 1\n", "server.yml:2:1: error: invalid YAML"),
        ("directory:\n  backend: http\n  url: https://user:pw@marketplace.example/api\n  secret: s\n",
         "server.yml:3:8: error: directory.url must be an https URL without credentials in it"),
        ("directory:\n  backend: http\n  url: https://marketplace.example/api\n  secret: \"\"\n", "server.yml:4:11: error: the secret for secret is empty"),
        ("directory:\n  url: https://marketplace.example/api\n", "server.yml:2:8: error: directory.url is set, but the backend is builtin"),
        ("sms:\n  transport: webhook\n  url: ftp://sms.example.com\n  secret: s\n", "server.yml:3:8: error: sms.url must be an https URL"),
    ])
    func aBadValueIsAnErrorAtItsLineAndColumn(text: String, expected: String) throws {
        let error = try #require(throws: ServerConfig.LoadError.self) { try ServerConfig.parse(text, path: "server.yml", environment: [:]) }
        #expect(error.description.hasPrefix(expected), "\(error.description)")
    }

    @Test func smsGatewaysTakeTheirSecretsLikeEmail() throws {
        let twilio = try ServerConfig.parse("sms:\n  transport: twilio\n  account_sid: AC42\n  from: \"+15550100999\"\n", path: "s.yml",
                                            environment: ["HELPCENTER_SMS_AUTH_TOKEN": "token-1"])
        #expect(twilio.sms.transport == .twilio && twilio.sms.url == "https://api.twilio.com" && twilio.sms.accountSID == "AC42")
        #expect(twilio.sms.from == "+15550100999" && twilio.sms.secret == "token-1")
        let webhook = try ServerConfig.parse("sms:\n  transport: webhook\n  url: https://sms.example.com/send\n  secret: s3\n  timeout: 4\n", path: "s.yml", environment: [:])
        #expect(webhook.sms.transport == .webhook && webhook.sms.url == "https://sms.example.com/send" && webhook.sms.secret == "s3" && webhook.sms.timeout == 4)
        let missing = try #require(throws: ServerConfig.LoadError.self) {
            try ServerConfig.parse("sms:\n  transport: webhook\n", path: "s.yml", environment: [:])
        }
        #expect(missing.diagnostics.map(\.description) == [
            "s.yml:2:14: error: sms.url is missing: with transport webhook, set the URL the signed requests go to",
            "s.yml:2:14: error: the webhook's signing secret is missing; set HELPCENTER_SMS_WEBHOOK_SECRET, HELPCENTER_SMS_WEBHOOK_SECRET_FILE or sms.secret_file",
        ])
    }

    @Test func aSecretNeverAppearsInAnError() throws {
        let text = "email:\n  transport: smtp\n  from: a@b.example\n  smtp:\n    host: h\n    password: hunter2-secret\n    port: x\n    bogus: 1\n"
        let error = try #require(throws: ServerConfig.LoadError.self) { try ServerConfig.parse(text, path: "server.yml", environment: [:]) }
        #expect(error.diagnostics.count == 2)
        #expect(!error.description.contains("hunter2-secret"))
        let unreadable = try #require(throws: ServerConfig.LoadError.self) {
            try ServerConfig.parse("email:\n  smtp:\n    host: h\n", path: "server.yml", environment: ["HELPCENTER_SMTP_PASSWORD_FILE": "/nonexistent/x"])
        }
        #expect(unreadable.description.hasPrefix("environment:1:1: error: HELPCENTER_SMTP_PASSWORD_FILE names a file that cannot be read"))
        // A secret pasted where a file name belongs is not echoed.
        for text in ["email:\n  smtp:\n    host: h\n    password_file: Zq9SECRETpw\n"] {
            let error = try #require(throws: ServerConfig.LoadError.self) { try ServerConfig.parse(text, path: "server.yml", environment: [:]) }
            #expect(!error.description.contains("Zq9SECRETpw"))
        }
        let pasted = try #require(throws: ServerConfig.LoadError.self) {
            try ServerConfig.parse("email:\n  smtp:\n    host: h\n", path: "server.yml", environment: ["HELPCENTER_SMTP_PASSWORD_FILE": "Zq9SECRETpw"])
        }
        #expect(!pasted.description.contains("Zq9SECRETpw"))
    }
}
