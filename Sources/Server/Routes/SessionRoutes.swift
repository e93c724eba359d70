import Foundation
import Hummingbird
import Store

/// Signing in with a name and password (a session cookie), who is signed in, and signing out.
struct SessionRoutes {
    let store: Store
    let limits: ServerConfig.Limits
    /// Sign-in attempts per minute, per account name and per client address.
    let signIns: RateLimiter
    let lifetime: TimeInterval

    /// `POST /api/session` needs no authentication, so it goes on the router itself; reading and ending
    /// a session go on the authenticated group (ending one by cookie then needs the CSRF token too).
    func add(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.post("api/session") { request, context in
            var request = request
            let body = try await request.decodeJSON(SignInRequest.self, limit: limits.maxJSONBytes)
            let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            for key in ["name:\(name)", "address:\(context.remoteAddress ?? "unknown")"] {
                if case .limited(let retryAfter) = await signIns.admit(key) {
                    let seconds = max(1, Int(retryAfter.rounded(.up)))
                    throw APIError(
                        .tooManyRequests, "too many sign-in attempts; retry in \(seconds) s",
                        headers: [.retryAfter: "\(seconds)"])
                }
            }
            guard let account = try await store.checkPassword(name: body.name, password: body.password) else {
                throw APIError(.unauthorized, "wrong name or password")
            }
            let (secret, session) = try await store.createSession(account: account.id, lifetime: lifetime)
            let cookie = SessionCookie.set(secret, lifetime: lifetime, request: request)
            return EditedResponse(
                status: .created, headers: [.setCookie: cookie.description],
                response: SessionJSON(account: AccountJSON(account), csrfToken: session.csrfToken, expiresAt: session.expiresAt))
        }
        api.get("session") { _, context in
            let caller = try context.caller
            return SessionJSON(
                account: AccountJSON(caller.account), csrfToken: caller.session?.csrfToken, expiresAt: caller.session?.expiresAt)
        }
        api.delete("session") { request, context in
            if let session = try context.caller.session { try await store.deleteSession(session.id) }
            var response = Response(status: .noContent)
            response.setCookie(SessionCookie.cleared(request: request))
            return response
        }
    }
}
