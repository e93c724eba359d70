import Foundation
import GRDB

/// An API token as stored: its name and the account it acts as; the secret itself is kept only as a
/// SHA-256 hash.
public struct APIToken: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    /// What the token is for (a script, a machine); annotation history records the account's name.
    public var name: String
    /// The account whose rights the token has.
    public var accountId: Int64
    public var createdAt: Date
    public var revokedAt: Date?

    static let columns = "id, name, accountId, createdAt, revokedAt"
}
