/// Pascal VOC's annotation XML for one image (`Annotations/<image stem>.xml`): size and one `object`
/// per box with its class name. VOC boxes are 1-based inclusive pixel indices, so (x1, y1, x2, y2)
/// becomes (x1+1, y1+1, x2, y2). Only written: nothing here imports VOC XML (label maps come back
/// through `LabelMapFiles`).
public enum VOCAnnotation {
    public static func xml(fileName: String, width: Int, height: Int, objects: [DatasetObject], classNames: [String]) -> String {
        var lines = [
            "<annotation>",
            "  <filename>\(escape(fileName))</filename>",
            "  <size><width>\(width)</width><height>\(height)</height><depth>3</depth></size>",
        ]
        for box in objects {
            let name = classNames.indices.contains(box.classIndex) ? classNames[box.classIndex] : "\(box.classIndex)"
            lines += [
                "  <object>",
                "    <name>\(escape(name))</name>",
                "    <difficult>0</difficult>",
                "    <bndbox><xmin>\(pixel(box.x1 + 1))</xmin><ymin>\(pixel(box.y1 + 1))</ymin>"
                    + "<xmax>\(pixel(box.x2))</xmax><ymax>\(pixel(box.y2))</ymax></bndbox>",
                "  </object>",
            ]
        }
        lines.append("</annotation>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// An `ImageSets/Main/<split>.txt` (or `ImageSets/Segmentation/...`): one image stem a line, the
    /// list VOC loaders read to know which images a split holds.
    public static func imageSet(stems: [String]) -> String { stems.map { $0 + "\n" }.joined() }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The nearest pixel index; boxes come checked inside their image, but a writer must not trap on
    /// a number `Int` cannot hold.
    private static func pixel(_ value: Double) -> Int {
        let rounded = value.rounded()
        return rounded.isFinite && abs(rounded) < 1e15 ? Int(rounded) : 0
    }
}
