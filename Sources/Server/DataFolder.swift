import Foundation

/// The server's data folder (SQLite file, images, checkpoints) is readable by the server's user
/// alone: labels and images are often confidential, and the admin token lives there.
public enum DataFolder {
    /// Creates `url` if needed and makes it and everything in it private (folders 0700, files 0600);
    /// sets the process umask so every file written later is created that way too.
    public static func makePrivate(_ url: URL) throws {
        umask(0o077)
        let files = FileManager.default
        try files.createDirectory(at: url, withIntermediateDirectories: true)
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
        // Folders made before this rule came with the default umask: tighten what is already there.
        let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
        guard let items = files.enumerator(at: url, includingPropertiesForKeys: keys) else { return }
        for case let item as URL in items {
            let values = try item.resourceValues(forKeys: Set(keys))
            if values.isSymbolicLink == true { continue }
            try files.setAttributes([.posixPermissions: values.isDirectory == true ? 0o700 : 0o600], ofItemAtPath: item.path)
        }
    }
}
