import Foundation
import Store

/// Adds images to a project from any source (upload, folder, COCO): check, write the file, record it.
struct ImageIntake: Sendable {
    let store: Store
    let files: ImageFiles

    /// Fails with the decoder's reason for anything that is not a JPEG or PNG within the limits;
    /// nothing is kept from a failed add.
    func add(_ data: Data, originalName: String, project: Int64) async throws -> ImageRecord {
        let name = SafeNames.displayName(originalName)
        _ = try await store.project(project)  // 404 before any decoding work
        let (format, width, height) = try files.inspect(data, name: name)
        let fileName = try files.write(data, format: format, project: project)
        do {
            return try await store.addImage(
                project: project, fileName: fileName, originalName: name, width: width, height: height)
        } catch {
            files.remove(fileName, project: project)
            throw error
        }
    }
}
