import Foundation
import Store

/// Set-up on a fresh data directory: the first admin token.
public enum FirstStart {
    /// Creates the first admin token when the store has none, writes it to `config.adminTokenURL`
    /// (readable by the owner only) and returns it for printing; nil when tokens already exist.
    public static func createAdminToken(config: ServerConfig, store: Store) async throws -> String? {
        guard let secret = try await store.createFirstAdminToken() else { return nil }
        try FileManager.default.createDirectory(at: config.dataDirectory, withIntermediateDirectories: true)
        let path = config.adminTokenURL.path
        guard FileManager.default.createFile(atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return secret
    }

    /// The link that opens the UI signed in: the token rides in the fragment, which browsers never send.
    public static func loginLink(config: ServerConfig, token: String) -> String {
        let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(config.port)/#token=\(token)"
    }
}
