import Formats
import Foundation
import Store

extension Importer {
    /// Adds every JPEG/PNG in `imagesPath` to a detection or instance project with its YOLO labels
    /// from `labelsPath/<image stem>.txt` as an imported annotation: what the YOLO export writes.
    /// Class numbers are positions in `classes` when given, else in a `classes.txt` in the label folder
    /// or its parent (the export's layout), both mapped by name with missing classes created; without
    /// either, positions in the project's classes. An image without a label file is added unlabelled; an empty file
    /// labels it "no objects". A bad line is reported with its number and none of that file is saved.
    func importYOLO(
        images imagesPath: String, labels labelsPath: String, classes names: [String]?, project: Int64, who: String
    ) async throws -> ImportReportJSON {
        let summary = try await store.project(project)
        let task = summary.project.task
        guard task != .semantic else {
            throw APIError(
                .unprocessableContent,
                "YOLO labels are boxes and polygons, for detection and instance projects; this is a semantic project"
                    + " (import label maps instead)")
        }
        let imageFolder = try folder(imagesPath)
        let labelFolder = try folder(labelsPath)
        var report = ImportReportJSON(imported: [], annotated: 0, skipped: [], classesCreated: [])
        let classes: YOLOLabels.Classes
        if let names = try names ?? classList(near: labelFolder) {
            let categories = names.enumerated().map { COCOFile.Category(id: $0.offset, name: $0.element) }
            classes = .init(
                index: try await classIndices(for: categories, project: project, report: &report),
                known: "'classes' has 0..<\(names.count)")
        } else {
            classes = .init(
                index: Dictionary(uniqueKeysWithValues: summary.classes.map { ($0.index, $0.index) }),
                known: "project has 0..<\(summary.classes.count)")
        }
        for (name, image) in try await addImages(in: imageFolder, project: project, report: &report) {
            let labelName = (name as NSString).deletingPathExtension + ".txt"
            guard let file = Self.file(labelName, in: labelFolder) else {
                report.skipped.append(.init(file: name, reason: "labels not imported: path leaves the label folder"))
                continue
            }
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            do {
                let objects = try YOLOLabels.read(
                    String(decoding: try read(file), as: UTF8.self), width: image.width, height: image.height,
                    classes: classes, masks: task == .instance)
                _ = try await store.saveAnnotation(
                    project: project, image: image.id, objects: objects, source: .imported, who: who)
                report.annotated += 1
            } catch {
                report.skipped.append(.init(file: name, reason: "labels not imported: \(Self.reason(error))"))
            }
        }
        return report
    }

    /// The names in `classes.txt` (one per line) in `folder` or its parent, if there is one.
    func classList(near folder: URL) throws -> [String]? {
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("classes.txt")
            guard root.allows(url), FileManager.default.fileExists(atPath: url.path) else { continue }
            let names = YOLOLabels.classNames(in: String(decoding: try read(url), as: UTF8.self))
            return names.isEmpty ? nil : names
        }
        return nil
    }
}
