import Foundation
import Store

/// Labels in YOLO's text format, zipped: `classes.txt` (one name per line, in index order) and
/// `labels/<image stem>.txt` with one `class cx cy w h` line per box, normalised to 0...1.
enum YOLOExport {
    static func labelFile(_ labelled: LabelledImage) -> String {
        let (w, h) = (Double(labelled.image.width), Double(labelled.image.height))
        return labelled.annotation.objects.map { box in
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
