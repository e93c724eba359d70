import Hummingbird
import Store

/// The per-request context: Hummingbird's core plus the API token that authenticated the request.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/api` route.
    var token: APIToken?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The authenticated token; routes behind `AuthMiddleware` always have one.
    var caller: APIToken {
        get throws {
            guard let token else { throw APIError(.unauthorized, "authentication required") }
            return token
        }
    }

    /// Who is annotating: the lease holder, the author of a version, the reviewer.
    /// For now the API token: each token is one annotator.
    var annotator: Annotator {
        get throws {
            let token = try caller
            return Annotator(id: "token:\(token.id)", name: token.name)
        }
    }

    /// Fails with 403 unless the caller's token is an admin token.
    func requireAdmin(_ action: String) throws {
        guard try caller.isAdmin else { throw APIError(.forbidden, "\(action) needs an admin token") }
    }
}
