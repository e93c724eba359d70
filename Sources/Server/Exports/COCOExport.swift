import Formats
import Foundation
import Store
import Vision

/// Labels as one COCO JSON file (`COCOFile`'s writer): category ids are class index + 1, instance masks
/// uncompressed RLE, a semantic label map one mask per class (`classRegions`). `file_name` is the image's export name; with the images packed it is
/// `images/<name>`, relative to `annotations.json`, the folder the ZIP unpacks to.
enum COCOExport {
    /// The annotation file alone, `file_name`s without a folder.
    static func json(project: ProjectSummary, images: [LabelledImage]) -> Data {
        document(project: project, images: images, folder: "")
    }

    /// `annotations.json` and each image under `images/`.
    static func write(to archive: ExportArchive, project: ProjectSummary, images: [LabelledImage], files: ImageFiles) throws {
        try archive.add("annotations.json", document(project: project, images: images, folder: "images/"))
        for labelled in images {
            try archive.add("images/\(labelled.name)", file: files.url(of: labelled.image))
        }
    }

    private static func document(project: ProjectSummary, images: [LabelledImage], folder: String) -> Data {
        let labelled = images.map { labelled in
            let image = COCOFile.Image(
                id: labelled.image.id, fileName: folder + labelled.name, width: labelled.image.width,
                height: labelled.image.height, annotator: labelled.time?.annotator,
                labelledIndex: labelled.time?.labelledIndex, annotationSeconds: labelled.time?.seconds)
            return (image: image, objects: labelled.annotation.labels.map(classRegions) ?? labelled.objects)
        }
        return COCOFile(classes: project.classes.map(\.name), images: labelled).json()
    }

    /// A semantic label map as COCO carries one (COCO-Stuff's way): an annotation per class present,
    /// background included, its pixels as the RLE mask and their extent as the box, so the map can be
    /// rebuilt exactly from the file. Built from the stored runs, without a per-pixel pass.
    static func classRegions(_ runs: LabelRuns) -> [DatasetObject] {
        let total = runs.width * runs.height
        var bits: [Int: [UInt8]] = [:]
        var offset = 0
        for run in runs.runs where run.count == 2 && run[1] > 0 {
            let end = Swift.min(total, offset + Swift.min(run[1], total))
            if offset < end {
                bits[run[0], default: [UInt8](repeating: 0, count: total)].replaceSubrange(
                    offset..<end, with: repeatElement(1, count: end - offset))
            }
            offset = end
        }
        return bits.keys.sorted().compactMap { c in
            let mask = BinaryMask(width: runs.width, height: runs.height, bits: bits[c]!)
            guard let b = mask.bounds else { return nil }
            return DatasetObject(classIndex: c, x1: Double(b.x1), y1: Double(b.y1), x2: Double(b.x2), y2: Double(b.y2), mask: COCORLE(mask))
        }
    }
}
