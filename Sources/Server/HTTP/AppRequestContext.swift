import Hummingbird
import Store

/// The per-request context: Hummingbird's core plus who sent the request.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/api` route it guards.
    var identity: Caller?
    /// The peer's IP address, for the sign-in rate limit.
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The API token of a bearer request; nil for cookie requests.
    var token: APIToken? { identity?.token }

    /// The authenticated caller; routes behind `AuthMiddleware` always have one.
    var caller: Caller {
        get throws {
            guard let identity else { throw APIError(.unauthorized, "authentication required") }
            return identity
        }
    }

    /// Who is annotating: the lease holder, the author of a version, the reviewer; by account, whether
    /// the request came with a token or a session.
    var annotator: Annotator {
        get throws {
            let account = try caller.account
            return Annotator(id: Annotator.id(account: account.id), name: account.name)
        }
    }

    /// Fails with 403 unless the caller is a server admin.
    func requireAdmin(_ action: String) throws {
        guard try caller.isAdmin else { throw APIError(.forbidden, "\(action) needs an admin token or account") }
    }
}
