import Foundation
import Store

/// Set-up on a fresh data directory: the admin account, with a password and a first token.
public enum FirstStart {
    /// Creates the admin account (named "admin") with a random password and its first token when the
    /// store has no account or token yet, writes both to `config.adminTokenURL` and
    /// `config.adminPasswordURL` (readable by the owner only) and returns the token for the login link;
    /// nil when accounts already exist.
    public static func createAdminToken(config: ServerConfig, store: Store) async throws -> String? {
        let password = newPassword()
        guard let secret = try await store.createFirstAdmin(name: adminName, password: password) else { return nil }
        try FileManager.default.createDirectory(at: config.dataDirectory, withIntermediateDirectories: true)
        try writePrivate(secret, to: config.adminTokenURL)
        try writePrivate(password, to: config.adminPasswordURL)
        return secret
    }

    /// The first account's name.
    public static let adminName = "admin"

    /// The link that opens the UI signed in: the token rides in the fragment, which browsers never send.
    public static func loginLink(config: ServerConfig, token: String) -> String {
        let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(config.port)/#token=\(token)"
    }

    private static func writePrivate(_ text: String, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }

    /// 20 characters from 54 unambiguous letters and digits: about 115 bits.
    static func newPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
