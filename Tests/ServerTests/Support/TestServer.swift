import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Store

/// A server on a real loopback port over a real data folder (SQLite file + images) in a temp dir.
final class TestServer: Sendable {
    let folder: URL
    let config: ServerConfig
    let store: Store
    let service: InMemoryTrainingService
    /// The first admin token, as a fresh data directory gets it.
    let admin: String

    /// Import tests stage their folders in the temporary directory: that is the default import root.
    init(
        limits: ServerConfig.Limits = .init(), service: InMemoryTrainingService = InMemoryTrainingService(),
        importRoot: URL? = FileManager.default.temporaryDirectory
    ) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("server-tests-\(UUID().uuidString)")
        config = ServerConfig(dataDirectory: folder, port: 0, limits: limits, importRoot: importRoot)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: config.databaseURL.path)
        self.service = service
        admin = try await FirstStart.createAdminToken(config: config, store: store)!
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `test` against the live server, which shuts down gracefully when `test` returns;
    /// the client sends one request at a time.
    @discardableResult
    func run<Value: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = try buildApplication(config: config, store: store, service: service)
        return try await app.test(.live, test)
    }

    /// A user token (not admin).
    func userToken(_ name: String = "ana") async throws -> String {
        try await store.createToken(name: name, isAdmin: false).secret
    }
}

/// Request headers with a bearer token and, optionally, a content type.
func headers(_ token: String?, contentType: String? = nil) -> HTTPFields {
    var fields = HTTPFields()
    if let token { fields[.authorization] = "Bearer \(token)" }
    if let contentType { fields[.contentType] = contentType }
    return fields
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The `error` reason of an error response.
    var reason: String { object["error"] as? String ?? "" }

    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    /// Creates a detection project with classes tree (0) and shrub (1); returns its id.
    func createTreeProject(token: String, name: String = "trees") async throws -> Int {
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
    func upload(_ data: Data, name: String, project: Int, token: String) async throws -> TestResponse {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        return try await execute(
            uri: "/api/projects/\(project)/images?name=\(encoded)", method: .post,
            headers: headers(token, contentType: "application/octet-stream"), body: ByteBuffer(bytes: data))
    }

    /// Uploads an image and returns its id.
    func uploadImage(_ data: Data, name: String = "tile.png", project: Int, token: String) async throws -> Int {
        let response = try await upload(data, name: name, project: project, token: token)
        guard response.status == .created, let id = response.object["id"] as? Int else {
            throw TestFailure("upload failed: \(response.status) \(response.text)")
        }
        return id
    }

    func submit(_ body: String, project: Int, image: Int, token: String) async throws -> TestResponse {
        try await execute(
            uri: "/api/projects/\(project)/images/\(image)/annotation", method: .put, headers: headers(token),
            body: json(body))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
