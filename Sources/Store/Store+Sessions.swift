import Foundation
import GRDB

extension Store {
    /// Starts a session for `account` and returns the cookie's secret (only its hash is stored).
    public func createSession(account: Int64, lifetime: TimeInterval) async throws -> (secret: String, session: Session) {
        let secret = Self.newSecret(prefix: "ls_")
        let csrf = Self.newSecret(prefix: "")
        let now = Date()
        let session = try await database.write { db in
            _ = try Self.account(db, id: account)
            // Expired sessions are cleared here rather than by a timer: sign-ins are rare and cheap to extend.
            try db.execute(sql: "DELETE FROM session WHERE expiresAt <= ?", arguments: [now])
            try db.execute(
                sql: "INSERT INTO session (accountId, hash, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [account, TokenHash.hex(secret), csrf, now, now.addingTimeInterval(lifetime)])
            return try Session.fetchOne(
                db, sql: "SELECT id, accountId, csrfToken, createdAt, expiresAt FROM session WHERE id = ?",
                arguments: [db.lastInsertedRowID])!
        }
        return (secret, session)
    }

    /// The unexpired session with this cookie secret and its account, or nil.
    public func session(secret: String) async throws -> (session: Session, account: Account)? {
        let hash = TokenHash.hex(secret)
        return try await database.read { db in
            guard
                let session = try Session.fetchOne(
                    db, sql: "SELECT id, accountId, csrfToken, createdAt, expiresAt FROM session WHERE hash = ? AND expiresAt > ?",
                    arguments: [hash, Date()])
            else { return nil }
            let account = try Self.account(db, id: session.accountId)
            return account.isDisabled ? nil : (session, account)
        }
    }

    /// Ends a session (signing out); ending it twice is harmless.
    public func deleteSession(_ id: Int64) async throws {
        try await database.write { db in try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id]) }
    }
}
