import Foundation
import Hummingbird
import Store

/// Requires an API token on every route it guards and charges the request to that token's rate limit.
///
/// The token comes in `Authorization: Bearer <token>`. GET requests may instead pass `?token=<token>`,
/// because a browser's `EventSource` and `<img src>` cannot set headers; writes must use the header,
/// so a token in a link can never change data by being followed.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    let limiter: RateLimiter
    let requestsPerMinute: Int?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let secret = Self.secret(in: request) else {
            let reason =
                request.headers[.authorization] == nil
                ? "missing API token: send 'Authorization: Bearer <token>'"
                : "malformed Authorization header: expected 'Bearer <token>'"
            throw APIError(.unauthorized, reason, headers: [.wwwAuthenticate: "Bearer"])
        }
        guard let token = try await store.authenticate(secret: secret) else {
            throw APIError(.unauthorized, "invalid or revoked API token", headers: [.wwwAuthenticate: "Bearer"])
        }
        if case .limited(let retryAfter) = await limiter.admit(token.id) {
            let seconds = max(1, Int(retryAfter.rounded(.up)))
            throw APIError(
                .tooManyRequests,
                "rate limit of \(requestsPerMinute ?? 0) requests per minute exceeded; retry in \(seconds) s",
                headers: [.retryAfter: "\(seconds)"])
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }

    static func secret(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        if request.method == .get || request.method == .head, let token = request.uri.queryParameters["token"] {
            return String(token)
        }
        return nil
    }
}
