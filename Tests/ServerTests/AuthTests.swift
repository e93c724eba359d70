import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

@Suite("authentication and rate limits")
struct AuthTests {
    @Test("API routes without a token get 401 with a reason and a Bearer challenge")
    func missingToken() async throws {
        let server = try await TestServer()
        try await server.run { client in
            let read = try await client.execute(uri: "/api/projects", method: .get)
            #expect(read.status == .unauthorized)
            #expect(read.reason.contains("missing API token"))
            #expect(read.headers[.wwwAuthenticate] == "Bearer")
            let write = try await client.execute(
                uri: "/api/projects", method: .post, body: json(#"{"name":"x","task":"detection"}"#))
            #expect(write.status == .unauthorized)
            let wrong = try await client.execute(uri: "/api/projects", method: .get, headers: headers("lt_nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.reason.contains("invalid or revoked"))
            var basic = HTTPFields()
            basic[.authorization] = "Basic YWxpY2U6c2VjcmV0"
            let malformed = try await client.execute(uri: "/api/projects", method: .get, headers: basic)
            #expect(malformed.status == .unauthorized)
            #expect(malformed.reason.contains("malformed Authorization header"))
        }
        #expect(try await server.store.projects().isEmpty)
    }

    @Test("a token in the query works only for the event stream and image files, never for writes")
    func queryToken() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(try TestImages.png(width: 8, height: 8), project: project, token: token)
            let file = try await client.execute(uri: "/api/projects/\(project)/images/\(image)/file?token=\(token)", method: .get)
            #expect(file.status == .ok)
            // Reads other than those two need the header: a link must not carry a token that works everywhere.
            for uri in ["/api/projects", "/api/projects/\(project)", "/api/projects/\(project)/export/coco", "/api/me"] {
                #expect(try await client.execute(uri: uri + "?token=\(token)", method: .get).status == .unauthorized, "\(uri)")
            }
            let write = try await client.execute(
                uri: "/api/projects?token=\(token)", method: .post, body: json(#"{"name":"x","task":"detection"}"#))
            #expect(write.status == .unauthorized)
        }
        #expect(AuthMiddleware.acceptsQueryToken("/api/projects/3/events"))
        #expect(AuthMiddleware.acceptsQueryToken("/api/projects/3/images/9/file"))
        #expect(!AuthMiddleware.acceptsQueryToken("/api/projects/3/images/9"))
        #expect(!AuthMiddleware.acceptsQueryToken("/api/projects/3/export/model"))
    }

    @Test("admin-only routes refuse user tokens with 403; an admin creates accounts and their tokens, and revokes them")
    func adminRights() async throws {
        let server = try await TestServer()
        let admin = server.admin
        try await server.run { client in
            let account = try await client.execute(
                uri: "/api/accounts", method: .post, headers: headers(admin),
                body: json(#"{"name": "ben", "password": "ben's password"}"#))
            #expect(account.status == .created)
            #expect(account.object["admin"] as? Bool == false && account.object["password"] == nil)
            let ben = try #require(account.object["id"] as? Int)
            let created = try await client.execute(
                uri: "/api/tokens", method: .post, headers: headers(admin), body: json(#"{"name": "ben's script", "account": \#(ben)}"#))
            #expect(created.status == .created)
            #expect(created.object["account"] as? Int == ben)
            let secret = try #require(created.object["token"] as? String)
            let id = try #require(created.object["id"] as? Int)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(secret))
            #expect(me.object["name"] as? String == "ben")
            #expect(me.object["admin"] as? Bool == false)
            #expect(me.object["token"] == nil)

            // A user makes tokens for its own account only; asking for an admin token is refused, not ignored.
            let own = try await client.execute(
                uri: "/api/tokens", method: .post, headers: headers(secret), body: json(#"{"name": "second"}"#))
            #expect(own.status == .created && own.object["account"] as? Int == ben)
            let other = try await client.execute(
                uri: "/api/tokens", method: .post, headers: headers(secret), body: json(#"{"name": "x", "account": 1}"#))
            #expect(other.status == .forbidden)
            #expect(other.reason.contains("admin token"))
            let asAdmin = try await client.execute(
                uri: "/api/tokens", method: .post, headers: headers(secret), body: json(#"{"name": "eve", "admin": true}"#))
            #expect(asAdmin.status == .badRequest)
            let listed = try await client.execute(uri: "/api/tokens", method: .get, headers: headers(secret))
            #expect((listed.object["tokens"] as? [[String: Any]])?.compactMap { $0["account"] as? Int } == [ben, ben])
            for (uri, body) in [("/api/accounts", #"{"name": "eve", "password": "eve's password"}"#)] {
                let refused = try await client.execute(uri: uri, method: .post, headers: headers(secret), body: json(body))
                #expect(refused.status == .forbidden, "\(uri)")
            }
            #expect(try await client.execute(uri: "/api/accounts", method: .get, headers: headers(secret)).status == .forbidden)
            let project = try await client.createTreeProject(token: secret)
            let importing = try await client.execute(
                uri: "/api/projects/\(project)/images/import/folder", method: .post, headers: headers(secret),
                body: json(#"{"folder": "/etc"}"#))
            #expect(importing.status == .forbidden)

            #expect(try await client.execute(uri: "/api/tokens/\(id)", method: .delete, headers: headers(admin)).status == .noContent)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(secret)).status == .unauthorized)
        }
    }

    @Test("the first start writes the admin token and the admin account's password to files only their owner can read")
    func adminTokenFile() async throws {
        let server = try await TestServer()
        let text = try String(contentsOf: server.config.adminTokenURL, encoding: .utf8)
        #expect(text == server.admin + "\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: server.config.adminTokenURL.path)[.posixPermissions]
        #expect(permissions as? Int == 0o600)
        // The admin account's password sits beside it, also for the owner only, and signs in.
        let password = try String(contentsOf: server.config.adminPasswordURL, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(password.count == 20)
        #expect(try FileManager.default.attributesOfItem(atPath: server.config.adminPasswordURL.path)[.posixPermissions] as? Int == 0o600)
        #expect(try await server.store.checkPassword(name: FirstStart.adminName, password: password)?.isAdmin == true)
        #expect(try await FirstStart.createAdminToken(config: server.config, store: server.store) == nil)
        #expect(FirstStart.loginLink(config: server.config, token: "t") == "http://127.0.0.1:0/#token=t")
    }

    @Test("metrics and the UI are open; the UI's index is served at /")
    func openRoutes() async throws {
        let server = try await TestServer()
        try await server.run { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.lowercased().contains("<!doctype html>"))
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)
            let missing = try await client.execute(uri: "/nothing-here.js", method: .get)
            #expect(missing.status == .notFound)
            #expect(!missing.reason.isEmpty)
        }
    }

    @Test("past the per-token rate, requests get 429 with Retry-After; other tokens are unaffected")
    func rateLimit() async throws {
        let server = try await TestServer(limits: .init(requestsPerMinute: 3))
        let admin = server.admin
        let other = try await server.userToken()
        try await server.run { client in
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(admin)).status == .ok)
            }
            let limited = try await client.execute(uri: "/api/me", method: .get, headers: headers(admin))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.reason.contains("3 requests per minute"))
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(other)).status == .ok)
        }
    }
}
