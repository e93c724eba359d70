import Foundation
import GRDB

extension Store {
    /// Creates an API token and returns its secret, which is shown this once: only its hash is stored.
    public func createToken(name: String, isAdmin: Bool) async throws -> (secret: String, token: APIToken) {
        let name = try Names.validated(name, kind: "token")
        let secret = Self.newSecret()
        let token = try await database.write { db in
            try db.execute(
                sql: "INSERT INTO apiToken (name, hash, isAdmin, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [name, TokenHash.hex(secret), isAdmin, Date()])
            return try Self.token(db, id: db.lastInsertedRowID)!
        }
        return (secret, token)
    }

    /// On a fresh database, creates the first admin token and returns its secret; nil once any token exists.
    public func createFirstAdminToken(name: String = "admin") async throws -> String? {
        let secret = Self.newSecret()
        let created = try await database.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM apiToken") == 0 else { return false }
            try db.execute(
                sql: "INSERT INTO apiToken (name, hash, isAdmin, createdAt) VALUES (?, ?, 1, ?)",
                arguments: [name, TokenHash.hex(secret), Date()])
            return true
        }
        return created ? secret : nil
    }

    /// The live (not revoked) token with this secret, or nil.
    public func authenticate(secret: String) async throws -> APIToken? {
        let hash = TokenHash.hex(secret)
        return try await database.read { db in
            try APIToken.fetchOne(
                db, sql: "SELECT id, name, isAdmin, createdAt, revokedAt FROM apiToken WHERE hash = ? AND revokedAt IS NULL",
                arguments: [hash])
        }
    }

    /// All tokens, revoked ones included, without their hashes.
    public func tokens() async throws -> [APIToken] {
        try await database.read { db in
            try APIToken.fetchAll(db, sql: "SELECT id, name, isAdmin, createdAt, revokedAt FROM apiToken ORDER BY id")
        }
    }

    /// Revokes a token; it stops authenticating at once. Revoking twice is harmless.
    public func revokeToken(id: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE apiToken SET revokedAt = COALESCE(revokedAt, ?) WHERE id = ?", arguments: [Date(), id])
        }
    }

    static func token(_ db: Database, id: Int64) throws -> APIToken? {
        try APIToken.fetchOne(
            db, sql: "SELECT id, name, isAdmin, createdAt, revokedAt FROM apiToken WHERE id = ?", arguments: [id])
    }

    /// "lt_" and 64 hex digits: 256 bits from the system's cryptographic generator.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return "lt_" + String((0..<64).map { _ in digits[Int(generator.next() % 16)] })
    }
}
