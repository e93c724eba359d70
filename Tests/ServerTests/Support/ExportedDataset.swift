import Foundation
import HummingbirdTesting
import Store

/// What a user takes away to re-import elsewhere: a label export with its images (`?images=true`),
/// fetched through the API and unpacked.
struct ExportedDataset {
    let folder: URL
    let format: String
    /// YOLO's `images/`, VOC's `JPEGImages/`.
    var images: URL { folder.appendingPathComponent(format == "voc" ? "JPEGImages" : "images", isDirectory: true) }
    var labels: URL { folder.appendingPathComponent("labels", isDirectory: true) }

    /// `format` is an export route: "yolo" (`images/`, `labels/<stem>.txt`, `data.yaml`, `classes.txt`),
    /// "voc" (`JPEGImages/`, `SegmentationClass/<stem>.png` or `Annotations/<stem>.xml`) or "coco"
    /// (`annotations.json`, `images/`).
    init(_ format: String, project: Int, client: any TestClientProtocol, token: String) async throws {
        self.format = format
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)")
        let response = try await client.execute(
            uri: "/api/projects/\(project)/export/\(format)?images=true", method: .get, headers: headers(token))
        guard response.status == .ok else { throw TestFailure("export failed: \(response.status) \(response.text)") }
        try ZipReading.extract(Data(buffer: response.body), to: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
