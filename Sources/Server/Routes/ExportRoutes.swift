import Foundation
import Hummingbird
import Store

/// Downloads: labels as COCO, YOLO or Pascal VOC (with `?images=true`, the images too, in each format's
/// own layout), and the trained model. ZIPs are written to a temporary file under the data folder
/// and streamed from it, then deleted.
struct ExportRoutes {
    let store: Store
    let service: any LiveTrainingService
    let files: ImageFiles
    /// Where archives are built; emptied of leftovers (an export cut off by a stop) when routes are added.
    let temporary: URL

    func add(to api: RouterGroup<AppRequestContext>) {
        removeLeftovers()
        api.get("projects/:project/export/coco") { request, context in
            let withImages = try request.queryBoolean("images") ?? false
            let (summary, labelled) = try await labelled(try await context.project(.manage, in: store), request: request)
            guard withImages else {
                return download(
                    COCOExport.json(project: summary, images: labelled), type: "application/json",
                    name: "\(summary.project.name)-coco.json")
            }
            let archive = try build { try COCOExport.write(to: $0, project: summary, images: labelled, files: files) }
            return try await download(archive, name: "\(summary.project.name)-coco.zip", context: context)
        }
        api.get("projects/:project/export/yolo") { request, context in
            let images = try request.queryBoolean("images") ?? false ? files : nil
            let (summary, labelled) = try await labelled(try await context.project(.manage, in: store), request: request)
            let archive = try build { try YOLOExport.write(to: $0, project: summary, images: labelled, files: images) }
            return try await download(archive, name: "\(summary.project.name)-yolo.zip", context: context)
        }
        api.get("projects/:project/export/voc") { request, context in
            let images = try request.queryBoolean("images") ?? false ? files : nil
            let (summary, labelled) = try await labelled(try await context.project(.manage, in: store), request: request)
            let archive = try build { try VOCExport.write(to: $0, project: summary, images: labelled, files: images) }
            return try await download(archive, name: "\(summary.project.name)-voc.zip", context: context)
        }
        api.get("projects/:project/export/model") { _, context in
            let summary = try await store.project(try await context.project(.manage, in: store))
            let model = try await service.exportModel(project: ProjectSpec(summary))
            let archive = try build { archive in
                try archive.add("model.safetensors", model.weights)
                try archive.add("model.json", model.descriptor)
            }
            return try await download(archive, name: "\(summary.project.name)-model.zip", context: context)
        }
    }

    /// The project and its labelled images with their annotations and export names (unlabelled and
    /// skipped are left out; with `?accepted=true`, everything a reviewer has not accepted too).
    private func labelled(_ project: Int64, request: Request) async throws -> (ProjectSummary, [LabelledImage]) {
        let acceptedOnly = try request.queryBoolean("accepted") ?? false
        let summary = try await store.project(project)
        var pairs = try await store.imagesWithAnnotations(project: project)
        if acceptedOnly { pairs = pairs.filter { $0.annotation?.reviewState == .accepted } }
        var images = LabelledImage.named(pairs)
        let times = Dictionary(grouping: try await store.annotationTimes(project: project), by: \.imageId)
        for i in images.indices { images[i].time = LabelledImage.Time(times[images[i].image.id] ?? []) }
        return (summary, images)
    }

    /// A finished archive holding what `fill` wrote; deleted if `fill` fails.
    private func build(_ fill: (ExportArchive) throws -> Void) throws -> ExportArchive {
        let archive = try ExportArchive(in: temporary)
        do {
            try fill(archive)
        } catch {
            archive.discard()
            throw error
        }
        try archive.finish()
        return archive
    }

    /// Streams the archive's file in chunks and deletes it once sent (or once sending failed).
    private func download(_ archive: ExportArchive, name: String, context: AppRequestContext) async throws -> Response {
        let url = archive.url
        let size: Int
        let file: ResponseBody
        do {
            size = try (FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            file = try await FileIO().loadFile(path: url.path, context: context)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        let body = ResponseBody(contentLength: size) { writer in
            defer { try? FileManager.default.removeItem(at: url) }
            try await file.write(writer)
        }
        return Response(status: .ok, headers: attachment(type: "application/zip", name: name), body: body)
    }

    private func download(_ data: Data, type: String, name: String) -> Response {
        Response(status: .ok, headers: attachment(type: type, name: name), body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func attachment(type: String, name: String) -> HTTPFields {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return [.contentType: type, .contentDisposition: "attachment; filename=\"\(safe)\""]
    }

    /// Archives left by a server that stopped mid-download; nothing is building one while routes are added.
    private func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("export-") && name.hasSuffix(".zip") {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}
