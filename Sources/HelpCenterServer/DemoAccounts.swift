import HelpCenterReset

/// The accounts `helpcenter serve --demo` creates in a new database, to try the walkthrough with.
/// Their passwords are published here and in the README on purpose: they are demo accounts.
public enum DemoAccounts {
    public static let accounts = [
        AccountStore.NewAccount(
            email: "buyer@tradebridge.example", name: "Dana Buyer", phone: "+15550100123", password: "harbour lantern velvet 42",
            questions: [SecurityQuestions.pool[0], SecurityQuestions.pool[3]], answers: ["Linden Street", "Mrs Okafor"]),
        AccountStore.NewAccount(email: "emailonly@tradebridge.example", name: "Sam Emailonly", password: "copper meadow quiet 17"),
    ]

    /// Adds the demo accounts that do not exist yet.
    public static func seed(_ accounts: AccountStore) async throws {
        for account in Self.accounts where try await accounts.account(email: account.email) == nil {
            try await accounts.add(account)
        }
    }
}
