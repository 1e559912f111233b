import ArgumentParser
import Foundation
import HelpCenterReset
import HelpCenterServer
import Logging

/// `helpcenter accounts add|import|list`: the accounts the walkthrough resets. Passwords are read
/// from standard input (or a prompt), never from the command line, and never printed.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Manage the accounts the password-reset walkthrough resets.",
        subcommands: [Add.self, Import.self, List.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(name: .long, help: "The SQLite database (created when missing).")
        var database = "helpcenter.sqlite"

        func withStore<T>(_ body: (AccountStore) async throws -> T) async throws -> T {
            var logger = Logger(label: "helpcenter")
            logger.logLevel = .warning
            return try await ResetDatabase.with(path: database, logger: logger) { database in
                try await body(AccountStore(store: database.store, hasher: PasswordHasher()))
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add one account; its password is read from standard input (first line) or asked for.")

        @OptionGroup var options: DatabaseOption
        @Option(name: .long, help: "The email address.") var email: String
        @Option(name: .long, help: "The name shown when signed in.") var name: String
        @Option(name: .long, help: "A verified mobile number in E.164 form, such as +4915112345678.") var phone: String?
        @Option(name: .long, parsing: .upToNextOption, help: "Two security questions (their answers are read after the password, one per line).")
        var questions: [String] = []

        func run() async throws {
            let password = try readSecret(prompt: "Password for \(email): ")
            let answers = try questions.map { try readSecret(prompt: "Answer to '\($0)': ") }
            do {
                let account = try await options.withStore {
                    try await $0.add(.init(email: email, name: name, phone: phone, password: password, questions: questions, answers: answers))
                }
                print("added \(account.email)")
            } catch let failure as AccountStore.Failure {
                throw ValidationError(failure.message)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the accounts of a CSV or JSON file.",
            discussion: """
                CSV: a header row with email,name,password and optionally phone,question1,answer1,question2,answer2. \
                JSON: an array of objects with email, name, password and optionally phone, questions, answers. \
                Accounts whose address exists already are reported and skipped.
                """)

        @OptionGroup var options: DatabaseOption
        @Argument(help: "The .csv or .json file.") var file: String

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read '\(file)' as UTF-8 text")
            }
            let accounts: [AccountStore.NewAccount]
            do { accounts = try AccountStore.parse(text, path: file) } catch { throw ValidationError("\(error)") }
            let (added, problems) = try await options.withStore { store in
                var added = 0
                var problems: [String] = []
                for (index, account) in accounts.enumerated() {
                    do {
                        try await store.add(account)
                        added += 1
                    } catch let failure as AccountStore.Failure {
                        problems.append("\(file): account \(index + 1): error: \(failure.message)")
                    }
                }
                return (added, problems)
            }
            for problem in problems { printError(problem) }
            print("imported \(plural(added, "account")), skipped \(problems.count)")
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts (never their passwords).")

        @OptionGroup var options: DatabaseOption

        func run() async throws {
            for account in try await options.withStore({ try await $0.list() }) {
                print("\(account.email)\t\(account.name)\t\(account.phone.map(Account.masked) ?? "no phone")\t\(account.questions.isEmpty ? "no questions" : "2 questions")")
            }
        }
    }
}

/// One line from standard input, or from a prompt without echo when standard input is a terminal.
func readSecret(prompt: String) throws -> String {
    if isatty(STDIN_FILENO) != 0, let pointer = getpass(prompt) { return String(cString: pointer) }
    guard let line = readLine(strippingNewline: true) else { throw ValidationError("expected a line on standard input (\(prompt.trimmingCharacters(in: .whitespaces)))") }
    return line
}
