import Foundation
import Store
import Vision

/// Labels in YOLO's text format, zipped: `classes.txt` (one name per line, in index order) and
/// `labels/<image stem>.txt` with one `class cx cy w h` line per box, normalised to 0...1; objects with
/// an instance mask are written YOLO-seg style instead, `class x1 y1 x2 y2 ...`, the mask's outline.
enum YOLOExport {
    static func labelFile(_ labelled: LabelledImage) -> String {
        let (w, h) = (Double(labelled.image.width), Double(labelled.image.height))
        return labelled.annotation.objects.map { box in
            if let rle = box.mask, let decoded = try? COCORLE(width: rle.width, height: rle.height, counts: rle.counts) {
                let outline = decoded.mask.outline()
                // At most ~200 vertices: YOLO-seg files stay small and trainers resample anyway.
                let step = Swift.max(1, outline.count / 200)
                let points = stride(from: 0, to: outline.count, by: step).flatMap { [outline[$0].x / w, outline[$0].y / h] }
                if points.count >= 6 {
                    return "\(box.classIndex) " + points.map { String(format: "%.6f", $0) }.joined(separator: " ") + "\n"
                }
            }
            let values = [
                (box.x1 + box.x2) / 2 / w, (box.y1 + box.y2) / 2 / h, (box.x2 - box.x1) / w, (box.y2 - box.y1) / h,
            ]
            return "\(box.classIndex) " + values.map { String(format: "%.6f", $0) }.joined(separator: " ") + "\n"
        }.joined()
    }

    static func zip(project: ProjectSummary, images: [LabelledImage]) -> Data {
        var archive = ZipArchive()
        archive.add("classes.txt", Data(project.classes.map { $0.name + "\n" }.joined().utf8))
        for labelled in images {
            archive.add("labels/\(labelled.stem).txt", Data(labelFile(labelled).utf8))
        }
        return archive.data()
    }
}
