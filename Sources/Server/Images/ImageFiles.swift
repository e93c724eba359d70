import Foundation
import Store
import Vision

/// The image folders under the data directory: one per project, files named by the server.
///
/// A client's file name is only ever display text: files are written as `<uuid>.<jpg|png>` into
/// `images/<project id>/`, so no name can reach outside that folder or overwrite another image.
struct ImageFiles: Sendable {
    let root: URL
    let maxPixels: Int

    func folder(project: Int64) -> URL { root.appendingPathComponent(String(project), isDirectory: true) }

    func url(of image: ImageRecord) -> URL { folder(project: image.projectId).appendingPathComponent(image.fileName) }

    /// Decodes `data` to prove it is a JPEG or PNG within the pixel limit; returns its format and
    /// upright size (EXIF orientation applied, as browsers show it and annotators draw on it).
    func inspect(_ data: Data, name: String) throws(ImageError) -> (format: ImageFormat, width: Int, height: Int) {
        let image = try Image(decoding: data, name: name, maxPixels: maxPixels)
        // Decoding succeeded, so the bytes start like one of the two formats.
        guard let format = ImageFormat.sniff(data) else { preconditionFailure("decoded bytes of no known format") }
        return (format, image.width, image.height)
    }

    /// Writes `data` durably under a new server-chosen name and returns that name.
    func write(_ data: Data, format: ImageFormat, project: Int64) throws -> String {
        let folder = folder(project: project)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = UUID().uuidString.lowercased() + (format == .jpeg ? ".jpg" : ".png")
        let temporary = folder.appendingPathComponent(".\(name).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try FileManager.default.moveItem(at: temporary, to: folder.appendingPathComponent(name))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return name
    }

    func remove(_ fileName: String, project: Int64) {
        try? FileManager.default.removeItem(at: folder(project: project).appendingPathComponent(fileName))
    }
}
