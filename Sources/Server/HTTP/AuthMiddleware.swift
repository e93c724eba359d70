import Foundation
import Hummingbird
import Store

/// Requires an API token or a session cookie on every route it guards and charges the request to that
/// token's or session's rate limit.
///
/// The token comes in `Authorization: Bearer <token>`. Only the two reads a browser cannot send a header
/// with, the event stream (`EventSource`) and an image file (`<img src>`), may instead pass
/// `?token=<token>`: a token in any other link would leak into logs and histories for nothing.
/// Without a token, the session cookie of a signed-in browser is used; a browser sends that cookie by
/// itself, so every write it authenticates must also carry the session's CSRF token in `X-CSRF-Token`,
/// which a page of another origin cannot read. A bearer request needs none: no browser adds that header
/// on its own.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    let limiter: RateLimiter
    let requestsPerMinute: Int?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let caller = try await authenticate(request)
        if case .limited(let retryAfter) = await limiter.admit(Self.budget(of: caller)) {
            let seconds = max(1, Int(retryAfter.rounded(.up)))
            throw APIError(
                .tooManyRequests,
                "rate limit of \(requestsPerMinute ?? 0) requests per minute exceeded; retry in \(seconds) s",
                headers: [.retryAfter: "\(seconds)"])
        }
        var context = context
        context.identity = caller
        return try await next(request, context)
    }

    private func authenticate(_ request: Request) async throws -> Caller {
        if let secret = Self.secret(in: request) {
            guard let (token, account) = try await store.authenticate(secret: secret) else {
                throw APIError(.unauthorized, "invalid or revoked API token", headers: [.wwwAuthenticate: "Bearer"])
            }
            return Caller(account: account, token: token)
        }
        if request.headers[.authorization] == nil, let cookie = request.cookies[SessionCookie.name] {
            guard let (session, account) = try await store.session(secret: cookie.value) else {
                throw APIError(
                    .unauthorized, "the session has expired or was signed out: sign in again",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
            if request.method != .get, request.method != .head {
                try Self.checkCSRF(request.headers[SessionCookie.csrfHeader], session: session)
            }
            return Caller(account: account, session: session)
        }
        let reason =
            request.headers[.authorization] == nil
            ? "missing API token: send 'Authorization: Bearer <token>' or sign in"
            : "malformed Authorization header: expected 'Bearer <token>'"
        throw APIError(.unauthorized, reason, headers: [.wwwAuthenticate: "Bearer"])
    }

    static func checkCSRF(_ sent: String?, session: Session) throws {
        guard let sent, ConstantTime.equal(sent, session.csrfToken) else {
            throw APIError(
                .forbidden,
                "\(sent == nil ? "missing" : "wrong") \(SessionCookie.csrfHeaderName): a signed-in browser's writes must send the"
                    + " csrfToken from POST or GET /api/session")
        }
    }

    /// Tokens and sessions each have their own budget.
    static func budget(of caller: Caller) -> String {
        if let token = caller.token { return "token:\(token.id)" }
        return "session:\(caller.session?.id ?? 0)"
    }

    static func secret(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        if request.method == .get || request.method == .head, acceptsQueryToken(request.uri.path),
            let token = request.uri.queryParameters["token"]
        {
            return String(token)
        }
        return nil
    }

    /// `/api/projects/{id}/events` and `/api/projects/{id}/images/{id}/file`.
    static func acceptsQueryToken(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count >= 4, parts.prefix(2).elementsEqual(["api", "projects"]) else { return false }
        switch parts.count {
        case 4: return parts.last == "events"
        case 6: return parts[parts.startIndex + 3] == "images" && parts.last == "file"
        default: return false
        }
    }
}

/// Comparison whose time does not depend on where two secrets first differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
