import Foundation

/// A fresh directory under the system temporary directory, removed by `remove()`; the prefix names the
/// tests that made it, so a leftover folder says where it came from.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "livetrain-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `data` as `name` inside the directory and returns its URL.
    public func write(_ data: Data, as name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// Copies a file in (the shared datasets are read-only; tests work on copies).
    public func copy(_ source: URL) throws -> URL {
        let file = url.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: file)
        return file
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
