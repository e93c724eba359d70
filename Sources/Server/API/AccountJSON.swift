import Foundation
import Hummingbird
import Store

struct CreateAccountRequest: Decodable {
    var name: String
    var password: String
    var admin: Bool?
}

struct PasswordRequest: Decodable {
    var password: String
}

struct DisableRequest: Decodable {
    var disabled: Bool
}

struct SignInRequest: Decodable {
    var name: String
    var password: String
}

/// An account as the API shows it (never its password hash).
struct AccountJSON: ResponseCodable {
    var id: Int64
    var name: String
    var admin: Bool
    var hasPassword: Bool
    var createdAt: Date
    var disabled: Bool

    init(_ account: Account) {
        id = account.id
        name = account.name
        admin = account.isAdmin
        hasPassword = account.hasPassword
        createdAt = account.createdAt
        disabled = account.isDisabled
    }
}

struct AccountListJSON: ResponseCodable {
    var accounts: [AccountJSON]
}

/// Who is signed in; `csrfToken` only for a cookie session (the value its writes must send in `X-CSRF-Token`).
struct SessionJSON: ResponseCodable {
    var account: AccountJSON
    var csrfToken: String?
    var expiresAt: Date?
}

struct SetMemberRequest: Decodable {
    /// The account's name.
    var name: String
    var role: ProjectRole
}

struct MemberJSON: ResponseCodable {
    var accountId: Int64
    var name: String
    var role: ProjectRole

    init(_ member: ProjectMember) {
        accountId = member.accountId
        name = member.name
        role = member.role
    }
}

struct MemberListJSON: ResponseCodable {
    var members: [MemberJSON]
}
