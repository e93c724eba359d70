import Foundation
import Hummingbird
import Store

/// Requires an API token on every route it guards and charges the request to that token's rate limit.
///
/// The token comes in `Authorization: Bearer <token>`. Only the two reads a browser cannot send a header
/// with, the event stream (`EventSource`) and an image file (`<img src>`), may instead pass
/// `?token=<token>`: a token in any other link would leak into logs and histories for nothing.
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
