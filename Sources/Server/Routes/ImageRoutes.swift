import Foundation
import Hummingbird
import Store

/// Adding images (upload, server folder, COCO file, YOLO labels, label maps), listing them, and serving
/// their pixels.
struct ImageRoutes {
    let store: Store
    let intake: ImageIntake
    let importer: Importer
    let service: any LiveTrainingService
    let limits: ServerConfig.Limits
    let leaseDuration: TimeInterval

    /// A running model learns the imported labels at once, like submitted ones, and pseudo-labels the
    /// imported images that have none.
    func trainOnImports(_ report: ImportReportJSON, project: Int64) async throws -> ImportReportJSON {
        if !report.imported.isEmpty || report.annotated > 0 { await service.imported(project: ProjectSpec(try await store.project(project))) }
        return report
    }

    func add(to api: RouterGroup<AppRequestContext>) {
        // The body is the image file itself; `?name=` carries the original file name for display.
        api.post("projects/:project/images") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            let data = Data(buffer: try await request.body(limit: limits.maxUploadBytes))
            let name = request.uri.queryParameters["name"].map(String.init) ?? "upload"
            let image = try await intake.add(data, originalName: name, project: project)
            await service.uploaded(project: ProjectSpec(try await store.project(project)), image: image)
            return EditedResponse(status: .created, response: ImageJSON(image))
        }
        api.post("projects/:project/images/import/folder") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            try context.requireAdmin("importing from the server's file system")
            let body = try await request.decodeJSON(ImportFolderRequest.self, limit: limits.maxJSONBytes)
            return try await importer.importFolder(body.folder, project: project)
        }
        api.post("projects/:project/images/import/coco") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            try context.requireAdmin("importing from the server's file system")
            let body = try await request.decodeJSON(ImportCOCORequest.self, limit: limits.maxJSONBytes)
            let report = try await importer.importCOCO(
                body.annotations, images: body.images, project: project, who: try context.caller.name)
            return try await trainOnImports(report, project: project)
        }
        api.post("projects/:project/images/import/labelmaps") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            try context.requireAdmin("importing from the server's file system")
            let body = try await request.decodeJSON(ImportLabelMapsRequest.self, limit: limits.maxJSONBytes)
            let report = try await importer.importLabelMaps(
                images: body.images, labels: body.labels, project: project, who: try context.caller.name)
            return try await trainOnImports(report, project: project)
        }
        api.post("projects/:project/images/import/yolo") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            try context.requireAdmin("importing from the server's file system")
            let body = try await request.decodeJSON(ImportYOLORequest.self, limit: limits.maxJSONBytes)
            let report = try await importer.importYOLO(
                images: body.images, labels: body.labels, classes: body.classes, project: project,
                who: try context.caller.name)
            return try await trainOnImports(report, project: project)
        }
        api.get("projects/:project/images") { request, context in
            let project = try await context.project(.view, in: store)
            let status = try request.uri.queryParameters["status"].map { text in
                guard let status = ImageStatus(rawValue: String(text)) else {
                    throw APIError(.badRequest, "status must be unlabelled, labelled or skipped, not '\(text)'")
                }
                return status
            }
            let offset = try request.queryInteger("offset") ?? 0
            let limit = try request.queryInteger("limit") ?? 100
            let page = try await store.images(project: project, status: status, offset: offset, limit: limit)
            return ImagePageJSON(total: page.total, offset: offset, limit: limit, items: page.items.map(ImageJSON.init))
        }
        // Leases the image to the caller: concurrent annotators get different images (`Store.leaseNext`).
        api.get("projects/:project/images/next") { request, context in
            let project = try await context.project(.annotate, in: store)
            let after = try request.queryInteger("after").map(Int64.init)
            let next = try await store.leaseNext(
                project: project, holder: try context.annotator.holder, duration: leaseDuration, after: after)
            let remaining = try await store.project(project).counts.unlabelled
            return LeasedNextJSON(next, remaining: remaining, duration: leaseDuration)
        }
        api.get("projects/:project/images/:image") { _, context in
            ImageJSON(try await store.image(project: try await context.project(.view, in: store), id: try context.id("image")))
        }
        api.get("projects/:project/images/:image/file") { _, context in
            let image = try await store.image(project: try await context.project(.view, in: store), id: try context.id("image"))
            let data = try Data(contentsOf: intake.files.url(of: image))
            let type = image.fileName.hasSuffix(".png") ? "image/png" : "image/jpeg"
            return Response(
                status: .ok,
                headers: [.contentType: type, .cacheControl: "private, max-age=86400, immutable"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
