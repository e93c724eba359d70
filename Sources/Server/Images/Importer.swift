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
    /// missing ones are created. An image the file lists without boxes is added unlabelled (COCO
    /// cannot tell "no objects" from "not labelled").
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
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase  // COCO's file_name, image_id, category_id
        let coco: COCOExport.Document.Partial
        do {
            coco = try decoder.decode(COCOExport.Document.Partial.self, from: data)
        } catch let error as DecodingError {
            throw APIError(.unprocessableContent, "'\(path)' is not a COCO detection file: \(ErrorMapping.describe(error))")
        }
        var report = ImportReportJSON(imported: [], annotated: 0, skipped: [], classesCreated: [])
        let task = try await store.project(project).project.task
        let classIndex = try await classIndices(for: coco.categories ?? [], project: project, report: &report)
        let boxes = Dictionary(grouping: coco.annotations ?? [], by: \.imageId)

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
            guard let objects = boxes[entry.id], !objects.isEmpty else { continue }
            if let w = entry.width, let h = entry.height, (w, h) != (image.width, image.height) {
                report.skipped.append(
                    .init(
                        file: entry.fileName,
                        reason: "boxes not imported: COCO says \(w)x\(h), the image is \(image.width)x\(image.height)"))
                continue
            }
            do {
                let labeled = try objects.map { object in
                    guard object.bbox.count == 4 else {
                        throw APIError(.unprocessableContent, "annotation \(object.id ?? 0): bbox needs 4 numbers")
                    }
                    guard let index = classIndex[object.categoryId] else {
                        throw APIError(.unprocessableContent, "category_id \(object.categoryId) is not in categories")
                    }
                    let b = object.bbox
                    let mask =
                        task == .instance
                        ? try object.segmentation.flatMap { try $0.mask(width: image.width, height: image.height) } : nil
                    return LabeledBox(
                        classIndex: index, x1: b[0], y1: b[1], x2: b[0] + b[2], y2: b[1] + b[3], mask: mask)
                }
                _ = try await store.saveAnnotation(
                    project: project, image: image.id, objects: labeled, source: .imported, who: who)
                report.annotated += 1
            } catch {
                report.skipped.append(.init(file: entry.fileName, reason: "boxes not imported: \(Self.reason(error))"))
            }
        }
        return report
    }

    /// COCO category id -> project class index, creating classes the project lacks.
    func classIndices(
        for categories: [COCOExport.Document.Category], project: Int64, report: inout ImportReportJSON
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

extension COCOExport.Document {
    /// What the importer needs of a COCO file; other fields are ignored, most may be absent.
    struct Partial: Decodable {
        struct Image: Decodable {
            var id: Int64
            var fileName: String
            var width: Int?
            var height: Int?
        }
        struct Object: Decodable {
            var id: Int64?
            var imageId: Int64
            var categoryId: Int
            var bbox: [Double]
            var segmentation: COCOSegmentation?
        }
        var images: [Image]
        var annotations: [Object]?
        var categories: [Category]?
    }
}
