import Formats
import Foundation
import Store

/// Imports images (and COCO boxes; YOLO and label maps in their own files) from folders on the
/// server's own disk, inside its import root only; files are copied in, the originals are left alone.
/// One bad file is reported and passed over, not fatal to the import.
struct Importer: Sendable {
    let store: Store
    let intake: ImageIntake
    let maxFileBytes: Int
    let root: ImportRoot

    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Adds every JPEG/PNG file directly inside `path` (not subfolders), in name order.
    func importFolder(_ path: String, project: Int64) async throws -> ImportReportJSON {
        _ = try await store.project(project)
        let folder = try self.folder(path)
        var report = ImportReportJSON(imported: [], annotated: 0, skipped: [], classesCreated: [])
        _ = try await addImages(in: folder, project: project, report: &report)
        return report
    }

    /// The folder import's intake, shared with the label importers: adds every JPEG/PNG directly
    /// inside `folder` in name order, records each in `report`, and returns the added ones with the
    /// file name they had in the folder.
    func addImages(in folder: URL, project: Int64, report: inout ImportReportJSON) async throws
        -> [(name: String, image: ImageRecord)]
    {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var added: [(name: String, image: ImageRecord)] = []
        for name in names where Self.imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
            do {
                let data = try read(folder.appendingPathComponent(name))
                let image = try await intake.add(data, originalName: name, project: project)
                report.imported.append(ImageJSON(image))
                added.append((name, image))
            } catch {
                report.skipped.append(.init(file: name, reason: Self.reason(error)))
            }
        }
        return added
    }

    /// Adds the images a COCO file lists, with their boxes (and, in instance projects, masks from
    /// `segmentation`) as imported annotations. Categories map to the project's classes by name;
    /// missing ones are created. An image the file lists without boxes (crowd regions aside) is added
    /// unlabelled (COCO cannot tell "no objects" from "not labelled").
    func importCOCO(_ path: String, images imagesPath: String?, project: Int64, who: String) async throws
        -> ImportReportJSON
    {
        let file = try root.resolve(path)
        let folder = try self.folder(imagesPath ?? file.deletingLastPathComponent().path)
        let data: Data
        do {
            data = try read(file)
        } catch {
            throw APIError(.unprocessableContent, "cannot read '\(path)': \(Self.reason(error))")
        }
        // A file that is no COCO file fails whole (422 in the error map); one bad annotation only skips its image.
        let coco = try COCOFile.read(data, file: path)
        var report = ImportReportJSON(imported: [], annotated: 0, skipped: [], classesCreated: [])
        let task = try await store.project(project).project.task
        let classIndex = try await classIndices(for: coco.categories, project: project, report: &report)
        let boxes = coco.annotationIndices()

        for entry in coco.images {
            guard let source = Self.file(entry.fileName, in: folder) else {
                report.skipped.append(.init(file: entry.fileName, reason: "path leaves the image folder"))
                continue
            }
            let image: ImageRecord
            do {
                image = try await intake.add(try read(source), originalName: entry.fileName, project: project)
            } catch {
                report.skipped.append(.init(file: entry.fileName, reason: Self.reason(error)))
                continue
            }
            report.imported.append(ImageJSON(image))
            guard let indices = boxes[entry.id], !indices.isEmpty else { continue }
            if let w = entry.width, let h = entry.height, (w, h) != (image.width, image.height) {
                report.skipped.append(
                    .init(
                        file: entry.fileName,
                        reason: "boxes not imported: COCO says \(w)x\(h), the image is \(image.width)x\(image.height)"))
                continue
            }
            do {
                let objects = try coco.objects(
                    at: indices, width: image.width, height: image.height, classIndex: classIndex,
                    masks: task == .instance ? .optional : .ignore)
                // Only crowd regions: as unlabelled as an image the file lists without boxes.
                guard !objects.isEmpty else { continue }
                _ = try await store.saveAnnotation(
                    project: project, image: image.id, objects: objects, source: .imported, who: who)
                report.annotated += 1
            } catch {
                report.skipped.append(.init(file: entry.fileName, reason: "boxes not imported: \(Self.reason(error))"))
            }
        }
        return report
    }

    /// COCO category id -> project class index, creating classes the project lacks.
    func classIndices(
        for categories: [COCOFile.Category], project: Int64, report: inout ImportReportJSON
    ) async throws -> [Int: Int] {
        var existing = Dictionary(
            try await store.classes(project: project).map { ($0.name.lowercased(), $0.index) },
            uniquingKeysWith: { first, _ in first })
        var map: [Int: Int] = [:]
        for category in categories {
            let key = category.name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let index = existing[key] {
                map[category.id] = index
            } else {
                let added = try await store.addClass(project: project, name: category.name)
                existing[key] = added.index
                map[category.id] = added.index
                report.classesCreated.append(added.name)
            }
        }
        return map
    }

    /// The file's bytes, refused outside the import root (a link out of it included) or above the
    /// upload limit before reading.
    func read(_ url: URL) throws -> Data {
        guard root.allows(url) else { throw APIError(.forbidden, "'\(url.lastPathComponent)' leads outside the server's import root") }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        if size > maxFileBytes {
            throw APIError(.contentTooLarge, "file of \(size) bytes exceeds the limit of \(maxFileBytes) bytes")
        }
        return try Data(contentsOf: url)
    }

    /// An existing folder inside the import root, or the reason it cannot be read.
    func folder(_ path: String) throws -> URL {
        let url = try root.resolve(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw APIError(.unprocessableContent, "'\(path)' is not a folder on the server")
        }
        return URL(fileURLWithPath: url.path, isDirectory: true)
    }

    /// `name` inside `folder`, or nil when it leads out of it (`../`).
    static func file(_ name: String, in folder: URL) -> URL? {
        let file = folder.appendingPathComponent(name).standardizedFileURL
        return file.path.hasPrefix(folder.standardizedFileURL.path + "/") ? file : nil
    }

    /// The text an import report gives for a file it passed over.
    static func reason(_ error: any Error) -> String {
        if let apiError = ErrorMapping.apiError(for: error) { return apiError.reason }
        if error is CocoaError { return (error as NSError).localizedDescription }
        return String(describing: error)
    }
}
