import Foundation
import GRDB

extension Store {
    /// Creates an API token acting as `account` and returns its secret, which is shown this once: only
    /// its hash is stored.
    public func createToken(name: String, account: Int64) async throws -> (secret: String, token: APIToken) {
        let name = try Names.validated(name, kind: "token")
        let secret = Self.newSecret()
        let token = try await database.write { db in
            try Self.insertToken(db, name: name, secret: secret, account: try Self.account(db, id: account))
        }
        return (secret, token)
    }

    /// A password-less account named `name` with one token of the same name: what a token was before
    /// tokens belonged to accounts (scripts, tests). Fails if the name is taken.
    public func createToken(name: String, isAdmin: Bool) async throws -> (secret: String, token: APIToken) {
        let account = try await createAccount(name: name, password: nil, isAdmin: isAdmin)
        return try await createToken(name: name, account: account.id)
    }

    /// On a fresh database, creates the admin account (with `password`, when given) and its first
    /// token, and returns the token's secret; nil once any account or token exists.
    public func createFirstAdmin(name: String = "admin", password: String? = nil) async throws -> String? {
        let name = try Names.validated(name, kind: "account")
        let hash = try password.map { password throws(StoreError) in
            if let problem = PasswordHash.problem(with: password) { throw .invalidPassword(problem) }
            return try PasswordHash.make(password)
        }
        let secret = Self.newSecret()
        let created = try await database.write { db in
            guard try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM apiToken) + (SELECT COUNT(*) FROM account)") == 0
            else { return false }
            let account = try Self.insertAccount(db, name: name, hash: hash, isAdmin: true)
            _ = try Self.insertToken(db, name: name, secret: secret, account: account)
            return true
        }
        return created ? secret : nil
    }

    /// The live (not revoked) token with this secret and the account it acts as, or nil.
    public func authenticate(secret: String) async throws -> (token: APIToken, account: Account)? {
        let hash = TokenHash.hex(secret)
        return try await database.read { db in
            guard
                let token = try APIToken.fetchOne(
                    db, sql: "SELECT \(APIToken.columns) FROM apiToken WHERE hash = ? AND revokedAt IS NULL", arguments: [hash])
            else { return nil }
            let account = try Self.account(db, id: token.accountId)
            return account.isDisabled ? nil : (token, account)
        }
    }

    /// All tokens, revoked ones included, without their hashes; only `account`'s when given.
    public func tokens(account: Int64? = nil) async throws -> [APIToken] {
        try await database.read { db in
            if let account {
                return try APIToken.fetchAll(
                    db, sql: "SELECT \(APIToken.columns) FROM apiToken WHERE accountId = ? ORDER BY id", arguments: [account])
            }
            return try APIToken.fetchAll(db, sql: "SELECT \(APIToken.columns) FROM apiToken ORDER BY id")
        }
    }

    public func token(id: Int64) async throws -> APIToken? {
        try await database.read { db in try Self.token(db, id: id) }
    }

    /// Revokes a token; it stops authenticating at once. Revoking twice is harmless.
    public func revokeToken(id: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE apiToken SET revokedAt = COALESCE(revokedAt, ?) WHERE id = ?", arguments: [Date(), id])
        }
    }

    static func insertToken(_ db: Database, name: String, secret: String, account: Account) throws -> APIToken {
        // `isAdmin` mirrors the account at creation for readers of old files; rights come from the account.
        try db.execute(
            sql: "INSERT INTO apiToken (name, hash, isAdmin, createdAt, accountId) VALUES (?, ?, ?, ?, ?)",
            arguments: [name, TokenHash.hex(secret), account.isAdmin, Date(), account.id])
        return try token(db, id: db.lastInsertedRowID)!
    }

    static func token(_ db: Database, id: Int64) throws -> APIToken? {
        try APIToken.fetchOne(db, sql: "SELECT \(APIToken.columns) FROM apiToken WHERE id = ?", arguments: [id])
    }

    /// `prefix` and 64 hex digits: 256 bits from the system's cryptographic generator.
    static func newSecret(prefix: String = "lt_") -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return prefix + String((0..<64).map { _ in digits[Int(generator.next() % 16)] })
    }
}
