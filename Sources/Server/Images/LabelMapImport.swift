import Foundation
import Store
import Vision

extension Importer {
    /// Adds every JPEG/PNG in `imagesPath` to a semantic project with its label map from
    /// `labelsPath/<image stem>.png` (greyscale, 8 or 16 bits, pixel value = class index: what the VOC
    /// export writes) as an imported annotation. An image without a label file is added unlabelled;
    /// a map of the wrong size or with a class the project lacks is reported and none of it is saved.
    func importLabelMaps(images imagesPath: String, labels labelsPath: String, project: Int64, who: String)
        async throws -> ImportReportJSON
    {
        let summary = try await store.project(project)
        guard summary.project.task == .semantic else {
            throw APIError(
                .unprocessableContent,
                "label maps belong to semantic projects; this is a \(summary.project.task.rawValue) project"
                    + " (import YOLO or COCO labels instead)")
        }
        let imageFolder = try folder(imagesPath)
        let labelFolder = try folder(labelsPath)
        var report = ImportReportJSON(imported: [], annotated: 0, skipped: [], classesCreated: [])
        for (name, image) in try await addImages(in: imageFolder, project: project, report: &report) {
            let labelName = (name as NSString).deletingPathExtension + ".png"
            guard let file = Self.file(labelName, in: labelFolder) else {
                report.skipped.append(.init(file: name, reason: "labels not imported: path leaves the label folder"))
                continue
            }
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            do {
                let map = try LabelMap(decoding: try read(file), name: labelName, maxPixels: intake.files.maxPixels)
                let runs = try Self.labelRuns(map, image: image, classCount: summary.classes.count)
                _ = try await store.saveAnnotation(
                    project: project, image: image.id, objects: [], labels: runs, source: .imported, who: who)
                report.annotated += 1
            } catch {
                report.skipped.append(.init(file: name, reason: "labels not imported: \(Self.reason(error))"))
            }
        }
        return report
    }

    /// The map as the store keeps it, once it is known to fit the image and name only known classes.
    /// The store checks both too; checking here gives the reason in the map's own terms. Pascal VOC's
    /// 255 ("void", the outline drawn around objects) becomes background when the project has fewer
    /// classes: otherwise every VOC map would be refused for one thin border.
    static func labelRuns(_ decoded: LabelMap, image: ImageRecord, classCount: Int) throws -> LabelRuns {
        var map = decoded
        if classCount <= Self.vocVoid {
            map = LabelMap(width: map.width, height: map.height, labels: map.labels.map { $0 == Self.vocVoid ? 0 : $0 })
        }
        guard (map.width, map.height) == (image.width, image.height) else {
            throw APIError(
                .unprocessableContent,
                "the label map is \(map.width)x\(map.height), the image is \(image.width)x\(image.height)")
        }
        let unknown = Set(map.labels.filter { Int($0) >= classCount }).sorted()
        guard unknown.isEmpty else {
            let listed = unknown.prefix(5).map(String.init).joined(separator: ", ") + (unknown.count > 5 ? ", …" : "")
            throw APIError(
                .unprocessableContent,
                "class \(unknown.count == 1 ? "index" : "indices") \(listed) unknown (project has 0..<\(classCount))")
        }
        return LabelRuns(map)
    }

    static let vocVoid: UInt16 = 255
}
