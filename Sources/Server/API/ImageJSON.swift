import Foundation
import Hummingbird
import Store

/// An image as the API shows it; `file` is where its pixels can be fetched.
struct ImageJSON: ResponseCodable {
    var id: Int64
    var projectId: Int64
    var originalName: String
    var width: Int
    var height: Int
    var status: ImageStatus
    var addedAt: Date
    var file: String

    init(_ image: ImageRecord) {
        id = image.id
        projectId = image.projectId
        originalName = image.originalName
        width = image.width
        height = image.height
        status = image.status
        addedAt = image.addedAt
        file = "/api/projects/\(image.projectId)/images/\(image.id)/file"
    }
}

struct ImagePageJSON: ResponseCodable {
    var total: Int
    var offset: Int
    var limit: Int
    var items: [ImageJSON]
}

struct ImportFolderRequest: Decodable {
    /// An absolute folder path on the server.
    var folder: String
}

struct ImportCOCORequest: Decodable {
    /// An absolute path on the server to a COCO JSON file.
    var annotations: String
    /// The folder its `file_name`s are relative to; by default the JSON file's folder.
    var images: String?
}

struct ImportLabelMapsRequest: Decodable {
    /// An absolute folder of JPEG/PNG images on the server.
    var images: String
    /// An absolute folder holding `<image stem>.png` label maps.
    var labels: String
}

struct ImportYOLORequest: Decodable {
    /// An absolute folder of JPEG/PNG images on the server.
    var images: String
    /// An absolute folder holding `<image stem>.txt` YOLO label files.
    var labels: String
    /// Class names in YOLO class-number order (`classes.txt`); without it, numbers are project class indices.
    var classes: [String]?
}

/// What an import did: images added, files passed over and why, classes it had to create.
struct ImportReportJSON: ResponseCodable {
    struct Skipped: Codable {
        var file: String
        var reason: String
    }
    var imported: [ImageJSON]
    var annotated: Int
    var skipped: [Skipped]
    var classesCreated: [String]
}
