import Foundation
import Hummingbird
import Store

struct CreateTokenRequest: Decodable {
    var name: String
    var admin: Bool?
}

/// A token as the API lists it; `token` (the secret) only in the answer that created it.
struct TokenJSON: ResponseCodable {
    var id: Int64
    var name: String
    var admin: Bool
    var createdAt: Date
    var revokedAt: Date?
    var token: String?

    init(_ token: APIToken, secret: String? = nil) {
        id = token.id
        name = token.name
        admin = token.isAdmin
        createdAt = token.createdAt
        revokedAt = token.revokedAt
        self.token = secret
    }
}

struct TokenListJSON: ResponseCodable {
    var tokens: [TokenJSON]
}
