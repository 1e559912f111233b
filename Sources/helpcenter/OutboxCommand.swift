import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterDelivery
import HelpCenterReset
import HelpCenterServer
import Logging

/// `helpcenter outbox list|retry|test`: the delivery queue, for operators.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect the queue of email and text messages, retry one, or send a test message.",
        subcommands: [List.self, Retry.self, Test.self]
    )

    struct Options: ParsableArguments {
        @OptionGroup var configFile: ConfigOption
        @Option(name: .customLong("database"), help: "The SQLite database (default: the config's server.database, else helpcenter.sqlite).")
        var databaseOption: String?

        func withOutbox<T>(_ body: (Outbox) async throws -> T) async throws -> T {
            let settings = try configFile.load(secretsRequired: false)  // only the database is used
            var logger = Logger(label: "helpcenter")
            logger.logLevel = .warning
            let path = databaseOption ?? settings.database ?? "helpcenter.sqlite"
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no database at \(path); give the one 'helpcenter serve' uses with --database or server.database")
            }
            return try await ResetDatabase.with(path: path, logger: logger) { database in
                try await body(Outbox(store: database.store, delivery: CapturedDelivery(), logger: logger))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the newest messages: id, time queued (UTC), kind, channel, masked destination, state, attempts, next attempt and last error; never a body.")
        @OptionGroup var options: Options
        @Option(name: .long, help: "Only messages in this state: queued, sending, sent, failed or dropped.") var state: String?
        @Option(name: .long, help: "How many messages, newest first (1-10000).") var limit = 50

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
            if let state, !["queued", "sending", "sent", "failed", "dropped"].contains(state) {
                throw ValidationError("--state must be queued, sending, sent, failed or dropped")
            }
            let entries = try await options.withOutbox { try await $0.list(state: state, limit: limit) }
            let time = ISO8601DateFormatter()
            for entry in entries {
                var fields = [entry.id, time.string(from: Date(timeIntervalSince1970: TimeInterval(entry.created_at))), entry.kind, entry.channel,
                              entry.destination ?? "(none)", entry.state, "attempts=\(entry.attempts)"]
                if entry.state == "queued" && entry.next_attempt_at > 0 {
                    fields.append("next=" + time.string(from: Date(timeIntervalSince1970: TimeInterval(entry.next_attempt_at))))
                }
                if let error = entry.last_error { fields.append("error=\(error)") }
                print(fields.joined(separator: "  "))
            }
            if entries.isEmpty { print("no messages\(state.map { " in state \($0)" } ?? "")") }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a queued message due now, or queue again one left 'sending' by a server that stopped mid-send (while its code works).")
        @OptionGroup var options: Options
        @Argument(help: "The message id (from 'outbox list').") var id: String

        func run() async throws {
            guard try await options.withOutbox({ try await $0.retry(id: id) }) else {
                throw ValidationError("no queued or sending message \(id) whose code still works; a failed message cannot be sent again (its body is erased): the buyer asks for a new code")
            }
            print("\(id): queued, due now; a running server sends it within a second")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test email through the configured transport and print the server's replies.")
        @OptionGroup var configFile: ConfigOption
        @Option(name: .long, help: "The content folder, for the site's name, address and theme (default: the config's server.content, else Content).")
        var content: String?
        @Option(name: .long, help: "The address to send the test message to.") var to: String

        func run() async throws {
            let settings = try configFile.load()
            guard settings.email.transport != .maildrop else {
                throw ValidationError("no email transport is configured (email.transport is maildrop); set email.transport to smtp or sendmail in the file given to --config")
            }
            let content = self.content ?? settings.content ?? "Content"
            let site = ContentTree.loadConfig(from: content)
            guard let email = try settings.emailDelivery(site: site, content: content) else {
                throw ValidationError("no email transport is configured")
            }
            let message = Message(channel: .email, to: to, subject: "\(site.title): test message",
                                  body: "This is a test message from \(site.title), sent with 'helpcenter outbox test'.\n\nIf it arrived, email delivery works.\n\(site.baseURL)/",
                                  sentAt: Date())
            do {
                try await email.send(email.mail(for: message)) { line in print(line) }
            } catch let failure as DeliveryFailure {
                print("error: the test message was not sent (\(failure.kind.rawValue) failure): \(failure.reason)")
                throw ExitCode(1)
            }
            print("sent: the server accepted the test message for \(to)")
        }
    }
}
