import Foundation

/// Adds, imports and lists the accounts the walkthrough resets. Passwords and answers are hashed
/// with Argon2id before they reach the database and are never printed or logged.
public struct AccountStore: Sendable {
    let store: ResetStore
    let hasher: PasswordHasher
    let clock: @Sendable () -> Date
    /// The password rules accounts are added under (the default policy: `accounts add` and `import`).
    let policy = PasswordPolicy()

    public init(store: ResetStore, hasher: PasswordHasher, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
    }

    /// A new account: what `accounts add` and `accounts import` take for one row.
    public struct NewAccount: Sendable, Codable, Equatable {
        public var email: String
        public var name: String
        public var phone: String?
        public var password: String
        /// Two questions with their answers, or none.
        public var questions: [String]
        public var answers: [String]

        public init(email: String, name: String, phone: String? = nil, password: String, questions: [String] = [], answers: [String] = []) {
            self.email = email
            self.name = name
            self.phone = phone
            self.password = password
            self.questions = questions
            self.answers = answers
        }
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// Adds `new`.
    /// - Throws: ``Failure`` when the address is malformed or taken, the phone is not E.164
    ///   (`+` and 8–15 digits), the questions and answers are not two each, or the password is empty.
    @discardableResult
    public func add(_ new: NewAccount) async throws -> Account {
        guard Account.isPlausibleEmail(new.email) else { throw Failure(message: "'\(new.email)' is not an email address") }
        if let phone = new.phone, !(phone.hasPrefix("+") && (9...16).contains(phone.count) && phone.dropFirst().allSatisfy(\.isASCIIDigit)) {
            throw Failure(message: "phone '\(phone)' must be in E.164 form, such as +4915112345678")
        }
        guard new.questions.count == new.answers.count, new.questions.isEmpty || new.questions.count == SecurityQuestions.count,
              new.answers.allSatisfy({ !SecurityQuestions.normalizedAnswer($0).isEmpty }) else {
            throw Failure(message: "give two security questions with an answer each, or none")
        }
        for (what, text) in [("email address", new.email), ("name", new.name)] + new.questions.map({ ("question", $0) }) {
            if let scalar = text.unicodeScalars.first(where: Self.isUnprintable) {
                throw Failure(message: "the \(what) holds a control or invisible character (U+\(String(scalar.value, radix: 16, uppercase: true))); remove it")
            }
        }
        // Unknown addresses are shown two questions of the pool: a question outside it would tell that
        // the address has an account.
        if let custom = new.questions.first(where: { !SecurityQuestions.pool.contains($0) }) {
            throw Failure(message: "the question '\(custom)' is not one of the offered questions (an unknown address is shown two of them, "
                + "so any other would reveal the account); choose from: " + SecurityQuestions.pool.map { "'\($0)'" }.joined(separator: ", "))
        }
        // The same rules as a reset (NIST SP 800-63B §3.1.1.2): length, common passwords, walks, the address.
        let problems = policy.problems(new.password, confirmation: new.password, context: [new.email, new.name])
        guard problems.isEmpty else {
            throw Failure(message: "the password is refused: " + problems.map(PasswordPolicy.message(for:)).joined(separator: " "))
        }
        let account = Account(id: UUID().uuidString.lowercased(), email: new.email.trimmingCharacters(in: .whitespaces),
                              phone: new.phone, name: new.name, questions: new.questions)
        let answerHashes = try new.answers.map { try hasher.hash(SecurityQuestions.normalizedAnswer($0)) }
        guard try await store.insertAccount(account, passwordHash: try hasher.hash(new.password), answerHashes: answerHashes,
                                            now: Int64(clock().timeIntervalSince1970)) else {
            throw Failure(message: "an account with the address '\(new.email)' exists already")
        }
        return account
    }

    /// C0 and C1 controls, format characters (bidirectional overrides, zero-width characters) and
    /// line or paragraph separators: never in a name, address or question, which terminals and pages print.
    public static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Every account, by email address.
    public func list() async throws -> [Account] {
        try await store.accounts().map(\.account)
    }

    public func account(email: String) async throws -> Account? {
        try await store.account(email: email)?.account
    }

    /// Whether `password` is the account's password.
    public func verifyPassword(_ password: String, email: String) async throws -> Bool {
        guard let row = try await store.account(email: email) else { return false }
        return hasher.verify(password, against: row.password_hash)
    }

    /// Sets a password outside the reset flow (an administrator); like a reset, it ends the
    /// account's sessions, outstanding codes and unfinished reset flows (Contao #7510).
    public func setPassword(_ password: String, email: String) async throws {
        guard let row = try await store.account(email: email) else { throw Failure(message: "no account has the address '\(email)'") }
        try await store.changePassword(accountID: row.id, hash: try hasher.hash(password), now: Int64(clock().timeIntervalSince1970))
    }

    /// Parses accounts from CSV (a header row naming `email`, `name`, `password` and optionally
    /// `phone`, `question1`, `answer1`, `question2`, `answer2`; RFC 4180 quoting) or JSON (an array of
    /// objects with the keys of ``NewAccount``).
    /// - Throws: ``Failure`` as `path:line: error: what, and how to fix`.
    public static func parse(_ text: String, path: String) throws -> [NewAccount] {
        if path.lowercased().hasSuffix(".json") {
            do {
                return try JSONDecoder().decode([NewAccount].self, from: Data(text.utf8))
            } catch {
                throw Failure(message: "\(path):1: error: not a JSON array of accounts (\(error)); each needs email, name, password, and may have phone, questions, answers")
            }
        }
        let rows = CSV.rows(text)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return [] }
        for required in ["email", "name", "password"] where !header.contains(required) {
            throw Failure(message: "\(path):1: error: the header row has no '\(required)' column; the header needs email,name,password (and may have phone,question1,answer1,question2,answer2)")
        }
        return rows.dropFirst().filter { !$0.fields.allSatisfy(\.isEmpty) }.map { row in
            func field(_ name: String) -> String? {
                header.firstIndex(of: name).flatMap { $0 < row.fields.count ? row.fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            return NewAccount(email: field("email") ?? "", name: field("name") ?? "", phone: field("phone"), password: field("password") ?? "",
                              questions: ["question1", "question2"].compactMap(field), answers: ["answer1", "answer2"].compactMap(field))
        }
    }
}

/// RFC 4180 CSV rows with the line each starts on.
enum CSV {
    static func rows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append((rowLine, fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); rows.append((rowLine, fields)) }
        return rows
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
