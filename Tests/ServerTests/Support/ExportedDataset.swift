import Foundation
import HummingbirdTesting
import Store

/// What a user takes away to re-import elsewhere: a label export fetched through the API, unpacked,
/// next to the project's images as the server stores them (the names the label files are named after).
struct ExportedDataset {
    let folder: URL
    var images: URL { folder.appendingPathComponent("images", isDirectory: true) }
    var labels: URL { folder.appendingPathComponent("labels", isDirectory: true) }

    /// `format` is an export route: "yolo" (`labels/<stem>.txt`, `classes.txt`) or "voc"
    /// (`SegmentationClass/<stem>.png`, `Annotations/<stem>.xml`).
    init(_ format: String, project: Int, server: TestServer, client: any TestClientProtocol, token: String)
        async throws
    {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)")
        let response = try await client.execute(
            uri: "/api/projects/\(project)/export/\(format)", method: .get, headers: headers(token))
        guard response.status == .ok else { throw TestFailure("export failed: \(response.status) \(response.text)") }
        try ZipReading.extract(Data(buffer: response.body), to: folder)
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let stored = server.config.imagesDirectory.appendingPathComponent(String(project), isDirectory: true)
        for (image, _) in try await server.store.imagesWithAnnotations(project: Int64(project)) {
            try FileManager.default.copyItem(
                at: stored.appendingPathComponent(image.fileName), to: images.appendingPathComponent(image.fileName))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
