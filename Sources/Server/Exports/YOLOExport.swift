import Formats
import Foundation
import Store

/// Labels in YOLO's text format (`YOLOLabels`' writer), zipped: `classes.txt` and
/// `labels/<image stem>.txt`, boxes as `class cx cy w h`, instance masks as YOLO-seg outlines.
enum YOLOExport {
    static func zip(project: ProjectSummary, images: [LabelledImage]) -> Data {
        var archive = ZipArchive()
        archive.add("classes.txt", Data(YOLOLabels.classList(project.classes.map(\.name)).utf8))
        for labelled in images {
            let text = YOLOLabels.write(labelled.objects, width: labelled.image.width, height: labelled.image.height)
            archive.add("labels/\(labelled.stem).txt", Data(text.utf8))
        }
        return archive.data()
    }
}
