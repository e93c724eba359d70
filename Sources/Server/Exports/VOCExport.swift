import Foundation
import Store
import Vision

/// Labels in Pascal VOC's layout, zipped: `Annotations/<image stem>.xml` with the boxes of detection
/// and instance projects, and `SegmentationClass/<image stem>.png` with the label maps of semantic
/// projects (greyscale, pixel value = class index). VOC boxes are 1-based inclusive pixel indices,
/// so (x1, y1, x2, y2) becomes (x1+1, y1+1, x2, y2).
enum VOCExport {
    static func xml(_ labelled: LabelledImage, classNames: [String]) -> String {
        var lines = [
            "<annotation>",
            "  <filename>\(escape(labelled.image.fileName))</filename>",
            "  <size><width>\(labelled.image.width)</width><height>\(labelled.image.height)</height><depth>3</depth></size>",
        ]
        for box in labelled.annotation.objects {
            let name = classNames.indices.contains(box.classIndex) ? classNames[box.classIndex] : "\(box.classIndex)"
            lines += [
                "  <object>",
                "    <name>\(escape(name))</name>",
                "    <difficult>0</difficult>",
                "    <bndbox><xmin>\(Int((box.x1 + 1).rounded()))</xmin><ymin>\(Int((box.y1 + 1).rounded()))</ymin>"
                    + "<xmax>\(Int(box.x2.rounded()))</xmax><ymax>\(Int(box.y2.rounded()))</ymax></bndbox>",
                "  </object>",
            ]
        }
        lines.append("</annotation>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func zip(project: ProjectSummary, images: [LabelledImage]) throws -> Data {
        var archive = ZipArchive()
        let names = project.classes.map(\.name)
        for labelled in images {
            if let labels = labelled.annotation.labels {
                archive.add("SegmentationClass/\(labelled.stem).png", try LabelMap(labels).pngData())
            } else {
                archive.add("Annotations/\(labelled.stem).xml", Data(xml(labelled, classNames: names).utf8))
            }
        }
        return archive.data()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
