import Foundation
import HelpCenterTestSupport
import Testing

/// `helpcenter accounts` run as an administrator would: passwords come in on standard input or in
/// an import file and never come out.
@Suite struct AccountsCommandTests {
    let cli = CommandLineTests()

    @Test func addImportAndListNeverPrintAPassword() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let added = try cli.run(["accounts", "add", "--email", "Dana@Example.com", "--name", "Dana", "--phone", "+15550100123",
                                 "--questions", "What was the name of your first teacher?", "What was the model of the first phone you owned?", "--database", "a.sqlite"],
                                stdin: "secret-password-one\nMrs Okafor\nNokia 3310\n", in: folder.base)
        #expect(added.status == 0, "\(added.stderr)")
        try """
            email,name,password,phone
            sam@example.com,"Sam, the buyer",secret-password-two,
            dana@example.com,Dana again,secret-password-three,
            not-an-address,Nobody,secret-password-four,
            """.write(to: folder.base.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        let imported = try cli.run(["accounts", "import", "people.csv", "--database", "a.sqlite"], in: folder.base)
        #expect(imported.status == 1)
        #expect(imported.stdout.contains("imported 1 account, skipped 2"))
        #expect(imported.stderr.contains("people.csv: account 2: error: an account with the address 'dana@example.com' exists already"))
        #expect(imported.stderr.contains("people.csv: account 3: error: 'not-an-address' is not an email address"))
        let listed = try cli.run(["accounts", "list", "--database", "a.sqlite"], in: folder.base)
        #expect(listed.status == 0)
        #expect(listed.stdout.split(separator: "\n").count == 2)
        #expect(listed.stdout.contains("Dana@Example.com\tDana\t+15•••••23\t2 questions"))
        #expect(listed.stdout.contains("sam@example.com\tSam, the buyer\tno phone\tno questions"))
        for output in [added, imported, listed] {
            for secret in ["secret-password", "Okafor", "3310"] {
                #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
            }
        }
        let database = try Data(contentsOf: folder.base.appendingPathComponent("a.sqlite"))
        #expect(database.range(of: Data("secret-password-one".utf8)) == nil)
        #expect(database.range(of: Data("$argon2id$v=19$m=19456,t=2,p=1$".utf8)) != nil)
    }

    /// Issue 24, finding 11: the same password rules as a reset, and no control characters in what
    /// `accounts list` and error messages print.
    @Test func weakPasswordsAndControlCharactersAreRefused() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        for (email, name, password, expected) in [
            ("a@example.com", "A", "123456789012345", "the password is refused: This password is one of the most common"),
            ("b@example.com", "B", "short", "Use at least 15 characters"),
            ("c@example.com", "C\u{1B}[2J", "harbour lantern velvet 42", "the name holds a control or invisible character (U+1B)"),
            ("d\u{202E}@example.com", "D", "harbour lantern velvet 42", "the email address holds a control or invisible character (U+202E)"),
        ] {
            let result = try cli.run(["accounts", "add", "--email", email, "--name", name, "--database", "a.sqlite"], stdin: password + "\n", in: folder.base)
            #expect(result.status != 0, "\(name)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{202E}"), "nothing unprintable reaches the terminal")
        }
    }

    /// Issue 24, finding 11: a question outside the offered ones would reveal the account (unknown
    /// addresses are shown two of the offered ones).
    @Test func customQuestionsAreRefused() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let result = try cli.run(["accounts", "add", "--email", "q@example.com", "--name", "Q", "--questions", "Favourite colour?",
                                  "What was the first concert you went to?", "--database", "a.sqlite"],
                                 stdin: "harbour lantern velvet 42\nblue\nthe proms\n", in: folder.base)
        #expect(result.status != 0)
        #expect(result.stderr.contains("the question 'Favourite colour?' is not one of the offered questions"), "\(result.stderr)")
    }

    @Test func aBadImportFileIsAClearError() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        try "mail,name\nx@example.com,X\n".write(to: folder.base.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let result = try cli.run(["accounts", "import", "bad.csv", "--database", "a.sqlite"], in: folder.base)
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.csv:1: error: the header row has no 'email' column"))
    }
}
