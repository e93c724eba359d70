import Foundation
import Store
import Vision

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
            let categories = names.enumerated().map { COCOExport.Document.Category(id: $0.offset, name: $0.element) }
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
                let objects = try YOLOLabels.objects(
                    in: String(decoding: try read(file), as: UTF8.self), width: image.width, height: image.height,
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
            let names = String(decoding: try read(url), as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return names.isEmpty ? nil : names
        }
        return nil
    }
}

/// Reads one YOLO label file: `class cx cy w h` (a box) or `class x1 y1 x2 y2 x3 y3 ...` (a YOLO-seg
/// polygon) per line, coordinates normalised to the image. Polygons become their bounds, plus the
/// rasterised mask (pixel centres inside, as COCO polygons are filled) when the project wants masks.
enum YOLOLabels {
    /// How far past 0...1 a coordinate may be and still count as the edge: writers' rounding, not a
    /// real overhang (which means a wrong image or a wrong format).
    static let tolerance = 0.001

    /// YOLO class number -> project class index, and how to say which numbers are known.
    struct Classes {
        var index: [Int: Int]
        var known: String
    }

    /// A line that cannot be read; nothing of its file is imported.
    struct LineError: Error, CustomStringConvertible {
        var line: Int
        var problem: String
        var description: String { "line \(line): \(problem)" }
    }

    static func objects(in text: String, width: Int, height: Int, classes: Classes, masks: Bool) throws(LineError)
        -> [LabeledBox]
    {
        let (w, h) = (Double(width), Double(height))
        var objects: [LabeledBox] = []
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            func fail(_ problem: String) -> LineError { LineError(line: number, problem: problem) }
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first else { continue }
            guard let yoloClass = Int(first) else { throw fail("class '\(first)' is not a whole number") }
            guard let classIndex = classes.index[yoloClass] else {
                throw fail("class \(yoloClass) unknown (\(classes.known))")
            }
            var values: [Double] = []
            for field in fields.dropFirst() {
                guard let value = Double(field), value.isFinite else { throw fail("'\(field)' is not a number") }
                guard value >= -tolerance, value <= 1 + tolerance else { throw fail("\(field) is outside 0...1") }
                values.append(min(1, max(0, value)))
            }
            switch values.count {
            case 4:
                let (cx, cy, bw, bh) = (values[0], values[1], values[2], values[3])
                guard bw > 0, bh > 0 else { throw fail("the box has no area") }
                guard cx - bw / 2 >= -tolerance, cy - bh / 2 >= -tolerance, cx + bw / 2 <= 1 + tolerance,
                    cy + bh / 2 <= 1 + tolerance
                else { throw fail("the box reaches outside the image") }
                objects.append(
                    LabeledBox(
                        classIndex: classIndex, x1: max(0, cx - bw / 2) * w, y1: max(0, cy - bh / 2) * h,
                        x2: min(1, cx + bw / 2) * w, y2: min(1, cy + bh / 2) * h))
            case let count where count >= 6 && count % 2 == 0:
                // [x0, y0, x1, y1, ...] in pixels, COCO's polygon form.
                let polygon = values.enumerated().map { $0.offset % 2 == 0 ? $0.element * w : $0.element * h }
                let xs = stride(from: 0, to: count, by: 2).map { polygon[$0] }
                let ys = stride(from: 1, to: count, by: 2).map { polygon[$0] }
                let (x1, x2, y1, y2) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
                guard x1 < x2, y1 < y2 else { throw fail("the polygon has no area") }
                var mask: MaskRLE?
                if masks {
                    let filled: BinaryMask
                    do { filled = try PolygonRaster.fill([polygon], width: width, height: height) } catch {
                        throw fail("\(error)")
                    }
                    guard filled.area > 0 else { throw fail("the polygon covers no pixel centre") }
                    let rle = COCORLE(filled)
                    mask = MaskRLE(width: rle.width, height: rle.height, counts: rle.counts)
                }
                objects.append(LabeledBox(classIndex: classIndex, x1: x1, y1: y1, x2: x2, y2: y2, mask: mask))
            case let count:
                throw fail(
                    "expected 4 numbers (cx cy w h) or an even count of 6 or more (a polygon) after the class, got \(count)")
            }
        }
        return objects
    }
}
