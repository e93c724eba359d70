import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Request headers with a bearer token and, optionally, a content type.
public func headers(_ token: String?, contentType: String? = nil) -> HTTPFields {
    var fields = HTTPFields()
    if let token { fields[.authorization] = "Bearer \(token)" }
    if let contentType { fields[.contentType] = contentType }
    return fields
}

public func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    public var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The `error` reason of an error response.
    public var reason: String { object["error"] as? String ?? "" }

    public var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    /// Creates a detection project with classes tree (0) and shrub (1); returns its id.
    public func createTreeProject(token: String, name: String = "trees") async throws -> Int {
        let response = try await execute(
            uri: "/api/projects", method: .post, headers: headers(token),
            body: json(
                ##"{"name": "\##(name)", "task": "detection", "classes": [{"name": "tree"}, {"name": "shrub", "colour": "#00ff00"}]}"##))
        guard response.status == .created, let id = response.object["id"] as? Int else {
            throw TestFailure("creating a project failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// Uploads image bytes; returns the response.
    public func upload(_ data: Data, name: String, project: Int, token: String) async throws -> TestResponse {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        return try await execute(
            uri: "/api/projects/\(project)/images?name=\(encoded)", method: .post,
            headers: headers(token, contentType: "application/octet-stream"), body: ByteBuffer(bytes: data))
    }

    /// Uploads an image and returns its id.
    public func uploadImage(_ data: Data, name: String = "tile.png", project: Int, token: String) async throws -> Int {
        let response = try await upload(data, name: name, project: project, token: token)
        guard response.status == .created, let id = response.object["id"] as? Int else {
            throw TestFailure("upload failed: \(response.status) \(response.text)")
        }
        return id
    }

    public func submit(_ body: String, project: Int, image: Int, token: String) async throws -> TestResponse {
        try await execute(
            uri: "/api/projects/\(project)/images/\(image)/annotation", method: .put, headers: headers(token),
            body: json(body))
    }
}

/// A set-up step that did not go as the test needs (the test itself asserts with `#expect`).
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension TestClientProtocol {
    /// Makes the named account a member of the project with `role`, as the project's owner (or an admin).
    public func addMember(_ name: String, role: String, project: Int, token: String) async throws {
        let response = try await execute(
            uri: "/api/projects/\(project)/members", method: .put, headers: headers(token),
            body: json(#"{"name": "\#(name)", "role": "\#(role)"}"#))
        guard response.status == .ok else { throw TestFailure("adding \(name) failed: \(response.status) \(response.text)") }
    }

    /// Signs in by name and password; returns the session cookie (`name=value`) and the CSRF token.
    public func signIn(_ name: String, _ password: String) async throws -> BrowserSession {
        let response = try await execute(
            uri: "/api/session", method: .post, headers: headers(nil, contentType: "application/json"),
            body: json(#"{"name": "\#(name)", "password": "\#(password)"}"#))
        guard response.status == .created, let csrf = response.object["csrfToken"] as? String,
            let setCookie = response.headers[.setCookie], let pair = setCookie.split(separator: ";").first
        else { throw TestFailure("signing in as \(name) failed: \(response.status) \(response.text)") }
        return BrowserSession(cookie: String(pair), csrf: csrf, setCookie: setCookie)
    }
}

/// What a browser holds after signing in: the cookie it sends back and the CSRF token its page keeps.
public struct BrowserSession: Sendable {
    public var cookie: String
    public var csrf: String
    /// The whole `Set-Cookie` header of the sign-in reply.
    public var setCookie: String

    /// Headers of a request from this browser; `csrf: false` leaves the CSRF header out.
    public func headers(csrf withCSRF: Bool = true, contentType: String? = nil) -> HTTPFields {
        var fields = HTTPFields()
        fields[.cookie] = cookie
        if withCSRF { fields[HTTPField.Name("X-CSRF-Token")!] = csrf }
        if let contentType { fields[.contentType] = contentType }
        return fields
    }
}
