import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// Signing in by name and password: the session cookie, CSRF protection of cookie writes, the sign-in
/// rate limit, and tokens that act as their account.
@Suite("sessions, CSRF and accounts over HTTP")
struct SessionAPITests {
    @Test("sign-in sets an HttpOnly, SameSite=Strict, Path=/ cookie, Secure only behind HTTPS; a wrong password gets none")
    func cookieFlags() async throws {
        let server = try await TestServer()
        _ = try await server.account("ana", password: "ana's password")
        try await server.run { client in
            let session = try await client.signIn("ana", "ana's password")
            let attributes = session.setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(session.cookie.hasPrefix("livetrain_session=ls_") && session.cookie.count == 18 + 3 + 64)
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && attributes.contains("Path=/"))
            #expect(attributes.contains("Max-Age=604800"))
            #expect(!attributes.contains("Secure"), "a plain-HTTP server's cookie could never come back if it were Secure")
            #expect(session.csrf.count == 64)

            var proxied = headers(nil, contentType: "application/json")
            proxied[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let secure = try await client.execute(
                uri: "/api/session", method: .post, headers: proxied, body: json(#"{"name": "ana", "password": "ana's password"}"#))
            #expect(secure.headers[.setCookie]?.contains("Secure") == true)

            for (name, password) in [("ana", "wrong password"), ("nobody", "ana's password"), ("ana", "")] {
                let refused = try await client.execute(
                    uri: "/api/session", method: .post, headers: headers(nil, contentType: "application/json"),
                    body: json(#"{"name": "\#(name)", "password": "\#(password)"}"#))
                #expect(refused.status == .unauthorized)
                #expect(refused.reason == "wrong name or password")
                #expect(refused.headers[.setCookie] == nil)
            }
            let who = try await client.execute(uri: "/api/session", method: .get, headers: session.headers(csrf: false))
            #expect((who.object["account"] as? [String: Any])?["name"] as? String == "ana")
            #expect(who.object["csrfToken"] as? String == session.csrf)
        }
    }

    @Test("a cookie write without the CSRF header, or with a wrong one, is 403 and changes nothing; with it, it goes through")
    func csrf() async throws {
        let server = try await TestServer()
        let ana = try await server.account("ana", password: "ana's password")
        try await server.run { client in
            let session = try await client.signIn("ana", "ana's password")
            let body = #"{"name": "trees", "task": "detection"}"#
            let missing = try await client.execute(
                uri: "/api/projects", method: .post, headers: session.headers(csrf: false, contentType: "application/json"),
                body: json(body))
            #expect(missing.status == .forbidden)
            #expect(missing.reason.contains("missing X-CSRF-Token"))
            var wrong = session.headers(contentType: "application/json")
            wrong[HTTPField.Name("X-CSRF-Token")!] = String(repeating: "0", count: 64)
            let forged = try await client.execute(uri: "/api/projects", method: .post, headers: wrong, body: json(body))
            #expect(forged.status == .forbidden)
            #expect(try await server.store.projects().isEmpty)
            // Reads need no CSRF token.
            let list = try await client.execute(uri: "/api/projects", method: .get, headers: session.headers(csrf: false))
            #expect(list.status == .ok)

            let created = try await client.execute(
                uri: "/api/projects", method: .post, headers: session.headers(contentType: "application/json"), body: json(body))
            #expect(created.status == .created)
            #expect(created.object["role"] as? String == "owner")
            // A bearer request needs no CSRF token, with or without a cookie beside it.
            var bearer = headers(ana.token, contentType: "application/json")
            #expect(
                try await client.execute(
                    uri: "/api/projects", method: .post, headers: bearer, body: json(#"{"name": "a", "task": "detection"}"#)
                ).status == .created)
            bearer[.cookie] = session.cookie
            #expect(
                try await client.execute(
                    uri: "/api/projects", method: .post, headers: bearer, body: json(#"{"name": "b", "task": "detection"}"#)
                ).status == .created)

            // Signing out needs the CSRF token too, clears the cookie and ends the session.
            #expect(
                try await client.execute(uri: "/api/session", method: .delete, headers: session.headers(csrf: false)).status == .forbidden)
            let out = try await client.execute(uri: "/api/session", method: .delete, headers: session.headers())
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/api/projects", method: .get, headers: session.headers())
            #expect(after.status == .unauthorized)
            #expect(after.reason.contains("sign in again"))
        }
        #expect(try await server.store.projects().map(\.project.name) == ["trees", "a", "b"])
    }

    @Test("sign-in attempts past the per-name limit get 429 with Retry-After, even with the right password")
    func signInRateLimit() async throws {
        let server = try await TestServer(limits: .init(signInsPerMinute: 3))
        _ = try await server.account("ana", password: "ana's password")
        try await server.run { client in
            for _ in 0..<3 {
                let attempt = try await client.execute(
                    uri: "/api/session", method: .post, headers: headers(nil, contentType: "application/json"),
                    body: json(#"{"name": "ana", "password": "guess guess"}"#))
                #expect(attempt.status == .unauthorized)
            }
            let limited = try await client.execute(
                uri: "/api/session", method: .post, headers: headers(nil, contentType: "application/json"),
                body: json(#"{"name": "ANA", "password": "ana's password"}"#))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test("a token made by a signed-in account acts as that account; its projects are the account's")
    func tokensBelongToAccounts() async throws {
        let server = try await TestServer()
        let ana = try await server.account("ana", password: "ana's password")
        try await server.run { client in
            let project = try await client.createTreeProject(token: ana.token)
            let session = try await client.signIn("ana", "ana's password")
            let created = try await client.execute(
                uri: "/api/tokens", method: .post, headers: session.headers(contentType: "application/json"),
                body: json(#"{"name": "ana's script"}"#))
            #expect(created.status == .created)
            #expect(created.object["account"] as? Int == Int(ana.id))
            let script = try #require(created.object["token"] as? String)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(script))
            #expect(me.object["name"] as? String == "ana")
            let seen = try await client.execute(uri: "/api/projects/\(project)", method: .get, headers: headers(script))
            #expect(seen.object["role"] as? String == "owner")
            // The server's admin sets a password for an account; the old one stops working.
            let reset = try await client.execute(
                uri: "/api/accounts/\(ana.id)/password", method: .put, headers: headers(server.admin),
                body: json(#"{"password": "a new password"}"#))
            #expect(reset.status == .noContent)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: session.headers()).status == .unauthorized)
            _ = try await client.signIn("ana", "a new password")
        }
    }

    @Test("a disabled account cannot sign in, its token and session are refused, its images return; enabled, its token works again")
    func disabledAccounts() async throws {
        let server = try await TestServer()
        let owner = try await server.userToken("olga")
        let ana = try await server.account("ana", password: "ana's password")
        try await server.run { client in
            let p = try await client.createTreeProject(token: owner)
            _ = try await client.uploadImage(try TestImages.png(width: 32, height: 24), project: p, token: owner)
            try await client.addMember("ana", role: "annotator", project: p, token: owner)
            let session = try await client.signIn("ana", "ana's password")
            let leased = try await client.execute(uri: "/api/projects/\(p)/images/next", method: .get, headers: headers(ana.token))
            let image = try #require((leased.object["image"] as? [String: Any])?["id"] as? Int)
            let held = try await client.execute(uri: "/api/projects/\(p)/images/next", method: .get, headers: headers(owner))
            #expect(held.object["image"] is NSNull, "held by ana: nothing for olga")

            func disable(_ id: Int64, _ disabled: Bool, as token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/accounts/\(id)/disabled", method: .put, headers: headers(token, contentType: "application/json"),
                    body: json(#"{"disabled": \#(disabled)}"#))
            }
            #expect(try await disable(ana.id, true, as: owner).status == .forbidden, "admins only")
            let disabled = try await disable(ana.id, true, as: server.admin)
            #expect(disabled.status == .ok && disabled.object["disabled"] as? Bool == true)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(ana.token)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: session.headers()).status == .unauthorized)
            let signIn = try await client.execute(
                uri: "/api/session", method: .post, headers: headers(nil, contentType: "application/json"),
                body: json(#"{"name": "ana", "password": "ana's password"}"#))
            #expect(signIn.status == .unauthorized)
            let next = try await client.execute(uri: "/api/projects/\(p)/images/next", method: .get, headers: headers(owner))
            #expect((next.object["image"] as? [String: Any])?["id"] as? Int == image, "ana's image returned to the pool")

            let adminID = try #require(try await server.store.accounts().first { $0.isAdmin }?.id)
            let own = try await disable(adminID, true, as: server.admin)
            #expect(own.status == .conflict && own.reason.contains("your own account"))
            #expect(try await disable(999_999, true, as: server.admin).status == .notFound)
            #expect(try await disable(ana.id, false, as: server.admin).object["disabled"] as? Bool == false)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(ana.token)).status == .ok)
            _ = try await client.signIn("ana", "ana's password")
        }
    }
}
