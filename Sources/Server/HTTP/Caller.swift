import Store

/// Who sent a request: the account, and whether it came with an API token or a session cookie.
struct Caller: Sendable {
    var account: Account
    /// Set for bearer (and `?token=`) requests.
    var token: APIToken?
    /// Set for cookie requests; their writes must carry the session's CSRF token.
    var session: Session?

    var name: String { account.name }
    var isAdmin: Bool { account.isAdmin }
}
