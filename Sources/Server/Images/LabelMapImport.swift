import Formats
import Foundation
import Store

extension Importer {
    /// Adds every JPEG/PNG in `imagesPath` to a semantic project with its label map from
    /// `labelsPath/<image stem>.png` (`LabelMapFiles`: what the VOC export writes, VOC's void read as
    /// background) as an imported annotation. An image without a label file is added unlabelled; a map
    /// of the wrong size or with a class the project lacks is reported and none of it is saved.
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
                // The store checks size and classes too; the format's check says why in the map's own terms.
                let map = try LabelMapFiles.read(
                    try read(file), name: labelName, maxPixels: intake.files.maxPixels, width: image.width,
                    height: image.height, classCount: summary.classes.count, owner: "project")
                _ = try await store.saveAnnotation(
                    project: project, image: image.id, objects: [], labels: LabelRuns(map), source: .imported, who: who)
                report.annotated += 1
            } catch {
                report.skipped.append(.init(file: name, reason: "labels not imported: \(Self.reason(error))"))
            }
        }
        return report
    }
}
