import Foundation
import HTTPTypes
import Hummingbird

/// The session cookie's name and attributes, and the header that carries the CSRF token.
///
/// HttpOnly keeps the secret from scripts; SameSite=Strict keeps browsers from sending it with requests
/// that other sites start (the UI is one origin, so it never needs the cookie on a cross-site
/// navigation: the page loads without it and its own requests carry it); Path=/ because the UI at `/`
/// and the API under `/api` share it. Secure when the request came over HTTPS, directly or through a
/// proxy that says so in `X-Forwarded-Proto` (a plain-HTTP loopback server would never get a Secure
/// cookie back).
enum SessionCookie {
    static let name = "livetrain_session"
    static let csrfHeaderName = "X-CSRF-Token"
    static let csrfHeader = HTTPField.Name(csrfHeaderName)!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    static func set(_ secret: String, lifetime: TimeInterval, request: Request) -> Cookie {
        Cookie(
            name: name, value: secret, maxAge: Int(lifetime), path: "/", secure: isSecure(request), httpOnly: true,
            sameSite: .strict)
    }

    /// Tells the browser to drop the cookie.
    static func cleared(request: Request) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: isSecure(request), httpOnly: true, sameSite: .strict)
    }

    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https" || request.headers[forwardedProto]?.lowercased() == "https"
    }
}
