import Foundation
import GRDB

/// An API token as stored: its name and rights; the secret itself is kept only as a SHA-256 hash.
public struct APIToken: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    /// Who uses the token; annotation history records this name.
    public var name: String
    /// Admin tokens may create tokens and import from the server's file system.
    public var isAdmin: Bool
    public var createdAt: Date
    public var revokedAt: Date?
}
