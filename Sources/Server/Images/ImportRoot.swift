import Foundation

/// The one folder tree that server-side imports may read (`--import-root`); without one, none.
///
/// Paths come from API clients, so each is taken only absolute, with every symbolic link resolved,
/// and only when it then lies inside the root: `..`, links and NUL bytes cannot lead elsewhere.
struct ImportRoot: Sendable {
    /// Resolved; nil when imports from the server's disk are off.
    let url: URL?

    init(_ url: URL?) { self.url = url.map(Self.resolved) }

    /// `path` resolved, or the reason it may not be read.
    func resolve(_ path: String) throws -> URL {
        guard !path.utf8.contains(0) else { throw APIError(.badRequest, "the path contains a NUL byte") }
        guard path.hasPrefix("/") else { throw APIError(.unprocessableContent, "'\(path)' is not an absolute path") }
        guard url != nil else {
            throw APIError(.forbidden, "imports from the server's disk are off: start the server with --import-root FOLDER")
        }
        let resolved = Self.resolved(URL(fileURLWithPath: path))
        guard contains(resolved) else { throw APIError(.forbidden, "'\(path)' is outside the server's import root") }
        return resolved
    }

    /// Whether `file` (after resolving its links) lies inside the root; what every read checks.
    func allows(_ file: URL) -> Bool { contains(Self.resolved(file)) }

    private func contains(_ resolved: URL) -> Bool {
        guard let root = url?.path else { return false }
        return resolved.path == root || resolved.path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    private static func resolved(_ url: URL) -> URL { url.standardizedFileURL.resolvingSymlinksInPath() }
}
