import Formats
import Foundation
import ZIPFoundation

/// A ZIP export written entry by entry to a temporary file with ZIPFoundation, so that neither the
/// archive nor the images it packs are ever held in memory whole: images are copied from the data
/// folder in chunks, one at a time, stored as they are (JPEG and PNG do not compress further); the
/// small text files (labels, JSON, XML) are deflated.
///
/// Not thread-safe: one request builds one archive, then `finish()` hands its file to the response.
final class ExportArchive {
    /// A path an export asked to write that could reach outside the unpacked folder: a bug here, since
    /// export names are cleaned first (`ExportNames`), so the export fails rather than write it.
    struct UnsafePath: Error, CustomStringConvertible {
        var path: String
        var description: String { "refusing to write the unsafe archive path '\(path)'" }
    }

    /// How much of an image is read per chunk: large enough for few system calls, small next to memory.
    static let chunkBytes = 256 * 1024

    let url: URL
    private var archive: Archive?

    /// A new empty archive in `folder` (created if missing), named so that no two requests share one.
    init(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        url = folder.appendingPathComponent("export-\(UUID().uuidString.lowercased()).zip")
        archive = try Archive(url: url, accessMode: .create, pathEncoding: nil)
    }

    /// Adds a small file from memory, deflated.
    func add(_ path: String, _ contents: Data) throws {
        let archive = try writable(path)
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(contents.count), compressionMethod: .deflate,
            bufferSize: Self.chunkBytes
        ) { position, size in
            // ZIPFoundation asks for consecutive chunks inside 0..<count; clamp anyway, never trap.
            let start = min(contents.count, Int(clamping: position))
            return contents.subdata(in: start..<min(contents.count, start + max(0, size)))
        }
    }

    /// Adds the file at `file` (an image in the data folder), stored, read in chunks.
    func add(_ path: String, file: URL) throws {
        let archive = try writable(path)
        try archive.addEntry(with: path, fileURL: file, compressionMethod: .none, bufferSize: Self.chunkBytes)
    }

    /// Closes the archive; the file at `url` is then complete and the caller's to send and delete.
    func finish() { archive = nil }

    /// Closes and deletes the file: for an export that failed half-way.
    func discard() {
        archive = nil
        try? FileManager.default.removeItem(at: url)
    }

    private func writable(_ path: String) throws -> Archive {
        guard ExportNames.isSafeArchivePath(path) else { throw UnsafePath(path: path) }
        guard let archive else { preconditionFailure("entry added after finish()") }
        return archive
    }
}
