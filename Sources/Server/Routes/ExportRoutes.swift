import Foundation
import Hummingbird
import Store

/// Downloads: labels as COCO, YOLO or Pascal VOC, and the trained model.
struct ExportRoutes {
    let store: Store
    let service: any LiveTrainingService

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("projects/:project/export/coco") { _, context in
            let (summary, labelled) = try await labelled(try context.id("project"))
            return download(
                COCOExport.json(project: summary, images: labelled), type: "application/json",
                name: "\(summary.project.name)-coco.json")
        }
        api.get("projects/:project/export/yolo") { _, context in
            let (summary, labelled) = try await labelled(try context.id("project"))
            return download(
                YOLOExport.zip(project: summary, images: labelled), type: "application/zip",
                name: "\(summary.project.name)-yolo.zip")
        }
        api.get("projects/:project/export/voc") { _, context in
            let (summary, labelled) = try await labelled(try context.id("project"))
            return download(
                try VOCExport.zip(project: summary, images: labelled), type: "application/zip",
                name: "\(summary.project.name)-voc.zip")
        }
        api.get("projects/:project/export/model") { _, context in
            let summary = try await store.project(try context.id("project"))
            let model = try await service.exportModel(project: ProjectSpec(summary))
            var archive = ZipArchive()
            archive.add("model.safetensors", model.weights)
            archive.add("model.json", model.descriptor)
            return download(archive.data(), type: "application/zip", name: "\(summary.project.name)-model.zip")
        }
    }

    /// The project and its labelled images with their annotations (unlabelled and skipped are left out).
    private func labelled(_ project: Int64) async throws -> (ProjectSummary, [LabelledImage]) {
        let summary = try await store.project(project)
        let images = try await store.imagesWithAnnotations(project: project).compactMap { pair in
            pair.annotation.map { LabelledImage(image: pair.image, annotation: $0) }
        }
        return (summary, images)
    }

    private func download(_ data: Data, type: String, name: String) -> Response {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(safe)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
