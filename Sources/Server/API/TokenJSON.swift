import Foundation
import Hummingbird
import Store

struct CreateTokenRequest: Decodable {
    var name: String
    /// The account the token acts as; the caller's own when absent.
    var account: Int64?
    /// Before tokens belonged to accounts this made an admin token; it is refused now rather than ignored.
    var admin: Bool?
}

/// A token as the API lists it; `token` (the secret) only in the answer that created it. `admin` is the
/// account's: a token has its account's rights.
struct TokenJSON: ResponseCodable {
    var id: Int64
    var name: String
    var account: Int64
    var admin: Bool
    var createdAt: Date
    var revokedAt: Date?
    var token: String?

    init(_ token: APIToken, admin: Bool, secret: String? = nil) {
        id = token.id
        name = token.name
        account = token.accountId
        self.admin = admin
        createdAt = token.createdAt
        revokedAt = token.revokedAt
        self.token = secret
    }
}

struct TokenListJSON: ResponseCodable {
    var tokens: [TokenJSON]
}
