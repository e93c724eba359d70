import Foundation
import GRDB

/// A person (or a script's owner) who signs in: API tokens and sessions act as their account.
public struct Account: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    /// Unique without regard to case; annotation history records it.
    public var name: String
    /// Server admins create accounts and see every project.
    public var isAdmin: Bool
    /// False for accounts made from tokens by migration v7 until an admin sets a password.
    public var hasPassword: Bool
    public var createdAt: Date
    /// A disabled account cannot sign in and its tokens and sessions are refused; its name stays in the
    /// annotation history, and an admin may enable it again.
    public var isDisabled: Bool

    static let columns = "id, name, isAdmin, passwordHash IS NOT NULL AS hasPassword, createdAt, disabledAt IS NOT NULL AS isDisabled"
}

/// A signed-in browser: the cookie holds a secret whose SHA-256 is stored, next to the CSRF token the
/// page must echo on writes.
public struct Session: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    public var accountId: Int64
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date
}
