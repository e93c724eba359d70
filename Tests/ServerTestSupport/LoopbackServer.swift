import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Store
import TestSupport

/// A server on a real loopback port over a real data folder (SQLite file + images) in a fresh temporary
/// directory, with the first admin token a fresh data folder gets, behind whichever training service the
/// test needs (a test double, or the real engine). The folder is removed when the server is released.
public final class LoopbackServer<Service: LiveTrainingService>: Sendable {
    private let directory: TemporaryDirectory
    public var folder: URL { directory.url }
    public let config: ServerConfig
    public let store: Store
    public let service: Service
    /// The first admin token, as a fresh data directory gets it.
    public let admin: String

    /// Import tests stage their folders in the temporary directory: that is the default import root.
    /// `service` is made from the server's config and store, as `serve` makes its engine.
    public init(
        limits: ServerConfig.Limits = .init(), importRoot: URL? = FileManager.default.temporaryDirectory,
        leaseDuration: TimeInterval = 600, service makeService: (ServerConfig, Store) throws -> Service
    ) async throws {
        directory = try TemporaryDirectory(prefix: "server-tests")
        config = ServerConfig(
            dataDirectory: directory.url, port: 0, limits: limits, importRoot: importRoot, leaseDuration: leaseDuration)
        store = try Store(path: config.databaseURL.path)
        service = try makeService(config, store)
        admin = try await FirstStart.createAdminToken(config: config, store: store)!
    }

    deinit {
        try? store.close()
        directory.remove()
    }

    /// Runs `test` against the live server, which shuts down gracefully when `test` returns;
    /// the client sends one request at a time.
    @discardableResult
    public func run<Value: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = try buildApplication(config: config, store: store, service: service)
        return try await app.test(.live, test)
    }

    /// A token of a new account (not admin) named `name`, without a password.
    public func userToken(_ name: String = "ana") async throws -> String {
        try await store.createToken(name: name, isAdmin: false).secret
    }

    /// A new account (not admin) that signs in with `password`, and a token of it.
    public func account(_ name: String, password: String) async throws -> (id: Int64, token: String) {
        let account = try await store.createAccount(name: name, password: password, isAdmin: false)
        return (account.id, try await store.createToken(name: name, account: account.id).secret)
    }
}
