import Formats
import Foundation
import Store
import Vision

/// Labels in Pascal VOC's layout, zipped: `Annotations/<image stem>.xml` (`VOCAnnotation`) with the
/// boxes of detection and instance projects, and `SegmentationClass/<image stem>.png` with the label
/// maps of semantic projects (greyscale, pixel value = class index, as `LabelMapFiles` reads back).
enum VOCExport {
    static func zip(project: ProjectSummary, images: [LabelledImage]) throws -> Data {
        var archive = ZipArchive()
        let names = project.classes.map(\.name)
        for labelled in images {
            if let labels = labelled.annotation.labels {
                archive.add("SegmentationClass/\(labelled.stem).png", try LabelMap(labels).pngData())
            } else {
                let xml = VOCAnnotation.xml(
                    fileName: labelled.image.fileName, width: labelled.image.width, height: labelled.image.height,
                    objects: labelled.objects, classNames: names)
                archive.add("Annotations/\(labelled.stem).xml", Data(xml.utf8))
            }
        }
        return archive.data()
    }
}
