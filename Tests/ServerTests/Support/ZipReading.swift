import Foundation

/// Reads a ZIP the server wrote with Python's `zipfile` (an independent reader that checks every
/// CRC), returning the text of each entry by path.
enum ZipReading {
    static func entries(_ data: Data) throws -> [String: String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("a.zip")
        try data.write(to: archive)
        // Python's zipfile checks the CRC of every entry it reads.
        let bytes = try python(
            "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))", archive.path)
        return try JSONSerialization.jsonObject(with: bytes) as? [String: String] ?? [:]
    }

    /// The entry names, in archive order (for entries that are not text).
    static func names(_ data: Data) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("a.zip")
        try data.write(to: archive)
        let output = try python(
            "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "print(json.dumps(z.namelist()))", archive.path)
        return try JSONSerialization.jsonObject(with: output) as? [String] ?? []
    }

    /// Unpacks every entry (binary ones too) under `folder`, keeping the archive's paths.
    static func extract(_ data: Data, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let archive = folder.appendingPathComponent("archive.zip")
        try data.write(to: archive)
        defer { try? FileManager.default.removeItem(at: archive) }
        _ = try python(
            "import os,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "z.extractall(os.path.dirname(sys.argv[1]))", archive.path)
    }

    private static func python(_ script: String, _ argument: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("python could not read the zip") }
        return bytes
    }
}
