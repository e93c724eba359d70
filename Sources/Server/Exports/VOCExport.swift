import Formats
import Foundation
import Store
import Vision

/// Labels in Pascal VOC's layout: `Annotations/<stem>.xml` (`VOCAnnotation`) with the boxes of
/// detection and instance projects, `SegmentationClass/<stem>.png` with the label maps of semantic
/// projects (greyscale, pixel value = class index, as `LabelMapFiles` reads back), and the image list
/// `ImageSets/Main/trainval.txt` (`ImageSets/Segmentation/` for label maps); with `files`, each image
/// as `JPEGImages/<name>` (VOC's folder name, PNGs included).
enum VOCExport {
    static func write(to archive: ExportArchive, project: ProjectSummary, images: [LabelledImage], files: ImageFiles?) throws {
        let names = project.classes.map(\.name)
        var detection: [String] = []
        var segmentation: [String] = []
        for labelled in images {
            if let labels = labelled.annotation.labels {
                try archive.add("SegmentationClass/\(labelled.stem).png", try LabelMap(labels).pngData())
                segmentation.append(labelled.stem)
            } else {
                let xml = VOCAnnotation.xml(
                    fileName: labelled.name, width: labelled.image.width, height: labelled.image.height,
                    objects: labelled.objects, classNames: names)
                try archive.add("Annotations/\(labelled.stem).xml", Data(xml.utf8))
                detection.append(labelled.stem)
            }
            if let files { try archive.add("JPEGImages/\(labelled.name)", file: files.url(of: labelled.image)) }
        }
        if !detection.isEmpty {
            try archive.add("ImageSets/Main/trainval.txt", Data(VOCAnnotation.imageSet(stems: detection).utf8))
        }
        if !segmentation.isEmpty {
            try archive.add("ImageSets/Segmentation/trainval.txt", Data(VOCAnnotation.imageSet(stems: segmentation).utf8))
        }
    }
}
