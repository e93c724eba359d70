import Foundation

/// An unpacked export as a third-party reader loaded it (`scripts/formats/read_export.py`): pycocotools
/// for COCO, Roboflow's supervision for YOLO and VOC, run in the pinned venv `.venv-formats` that
/// `scripts/formats/setup_venv.sh` makes (and `make test` calls before the Swift suite; the test calls
/// it too, a no-op once installed, so a plain `swift test` works on a clean clone).
struct ThirdPartyReader {
    struct Object: Decodable {
        var `class`: String
        /// [x1, y1, x2, y2] in pixels.
        var box: [Double]
        /// COCO uncompressed RLE counts (column-major), when the reader produced a mask.
        var mask: [Int]?
    }

    struct Image: Decodable {
        var width: Int
        var height: Int
        var objects: [Object]
    }

    var classes: [String]
    /// By file name as the reader reports it (COCO: `file_name`; supervision: the image's file name).
    var images: [String: Image]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Loads `folder` as `format` ("coco", "yolo" or "voc").
    static func load(_ format: String, folder: URL) throws -> ThirdPartyReader {
        let python = try run("/bin/bash", [root.appendingPathComponent("scripts/formats/setup_venv.sh").path])
        guard let path = String(decoding: python, as: UTF8.self).split(separator: "\n").last.map(String.init) else {
            throw TestFailure("setup_venv.sh named no python")
        }
        let output = try run(path, [root.appendingPathComponent("scripts/formats/read_export.py").path, format, folder.path])
        struct Document: Decodable {
            var classes: [String]
            var images: [String: Image]
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: output) else {
            throw TestFailure("the \(format) reader's output is not the expected JSON: \(String(decoding: output.prefix(500), as: UTF8.self))")
        }
        return ThirdPartyReader(classes: document.classes, images: document.images)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        // Errors go to a file, so a chatty stderr cannot fill a pipe while stdout is being read.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed: \(message.suffix(2000))")
        }
        return bytes
    }
}
