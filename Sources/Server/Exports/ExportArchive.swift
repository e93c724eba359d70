import CArchive
import Formats
import Foundation

/// A ZIP export written front to back to a temporary file with libarchive, so that neither the
/// archive nor the images it packs are ever held in memory whole: images are copied from the data
/// folder in chunks, one at a time, stored as they are (JPEG and PNG do not compress further); the
/// small text files (labels, JSON, XML) are deflated. Each entry is written once and the central
/// directory once, at `finish()`, so writing costs O(entries); ZIPFoundation, used before, rewrote
/// the whole central directory after every entry (O(entries²): 18.5 s for 20,000 entries).
///
/// Not thread-safe: one request builds one archive, then `finish()` hands its file to the response.
public final class ExportArchive {
    /// A path an export asked to write that could reach outside the unpacked folder: a bug here, since
    /// export names are cleaned first (`ExportNames`), so the export fails rather than write it.
    public struct UnsafePath: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "refusing to write the unsafe archive path '\(path)'" }
    }

    /// libarchive refused (a full disk, a file that changed while it was read, ...).
    public struct WriteFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// How much of an image is read per chunk: large enough for few system calls, small next to memory.
    static let chunkBytes = 256 * 1024

    public let url: URL
    private var archive: OpaquePointer?

    /// A new empty archive in `folder` (created if missing), named so that no two requests share one.
    public init(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        url = folder.appendingPathComponent("export-\(UUID().uuidString.lowercased()).zip")
        guard let archive = archive_write_new() else { throw WriteFailure(description: "libarchive: out of memory") }
        self.archive = archive
        // Names are UTF-8 whatever the process's locale: original file names may be any script.
        guard archive_write_set_format_zip(archive) == ARCHIVE_OK,
            archive_write_set_options(archive, "zip:hdrcharset=UTF-8") == ARCHIVE_OK,
            archive_write_open_filename(archive, url.path) == ARCHIVE_OK
        else {
            let failure = Self.failure(archive, "cannot create \(url.lastPathComponent)")
            discard()
            throw failure
        }
    }

    deinit { if let archive { archive_write_free(archive) } }

    /// Adds a small file from memory, deflated.
    public func add(_ path: String, _ contents: Data) throws {
        let archive = try writable(path)
        archive_write_zip_set_compression_deflate(archive)
        try header(archive, path, size: contents.count)
        try contents.withUnsafeBytes { try write(archive, $0, path) }
        try finishEntry(archive, path)
    }

    /// Adds the file at `file` (an image in the data folder), stored, read in chunks. The size is taken
    /// first and must still hold at the end: a file that changed underneath fails the export.
    public func add(_ path: String, file: URL) throws {
        let archive = try writable(path)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        guard let expected = Int(exactly: size) else { throw WriteFailure(description: "\(file.lastPathComponent) is too large") }
        archive_write_zip_set_compression_store(archive)
        try header(archive, path, size: expected)
        var copied = 0
        while let chunk = try handle.read(upToCount: Self.chunkBytes), !chunk.isEmpty {
            copied += chunk.count
            guard copied <= expected else { break }
            try chunk.withUnsafeBytes { try write(archive, $0, path) }
        }
        guard copied == expected else {
            throw WriteFailure(description: "\(file.lastPathComponent) changed size while it was packed (\(expected) → \(copied) bytes)")
        }
        try finishEntry(archive, path)
    }

    /// Writes the central directory and closes the file, which is then complete and the caller's to
    /// send and delete. Throws if the end of the archive could not be written (the file is deleted).
    public func finish() throws {
        guard let archive else { return }
        let closed = archive_write_close(archive) == ARCHIVE_OK
        let failure = closed ? nil : Self.failure(archive, "cannot finish the archive")
        archive_write_free(archive)
        self.archive = nil
        if let failure {
            try? FileManager.default.removeItem(at: url)
            throw failure
        }
    }

    /// Closes and deletes the file: for an export that failed half-way.
    public func discard() {
        if let archive { archive_write_free(archive) }
        archive = nil
        try? FileManager.default.removeItem(at: url)
    }

    private func writable(_ path: String) throws -> OpaquePointer {
        guard ExportNames.isSafeArchivePath(path) else { throw UnsafePath(path: path) }
        guard let archive else { preconditionFailure("entry added after finish()") }
        return archive
    }

    private func header(_ archive: OpaquePointer, _ path: String, size: Int) throws {
        guard let entry = archive_entry_new() else { throw WriteFailure(description: "libarchive: out of memory") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, livetrain_archive_regular_file())
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, Int64(size))
        archive_entry_set_mtime(entry, time(nil), 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw Self.failure(archive, "cannot add \(path)") }
    }

    private func write(_ archive: OpaquePointer, _ bytes: UnsafeRawBufferPointer, _ path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { throw Self.failure(archive, "cannot write \(path)") }
            offset += written
        }
    }

    private func finishEntry(_ archive: OpaquePointer, _ path: String) throws {
        guard archive_write_finish_entry(archive) == ARCHIVE_OK else { throw Self.failure(archive, "cannot finish \(path)") }
    }

    private static func failure(_ archive: OpaquePointer, _ what: String) -> WriteFailure {
        let reason = archive_error_string(archive).map { String(cString: $0) } ?? "errno \(archive_errno(archive))"
        return WriteFailure(description: "\(what): \(reason)")
    }
}
