import Foundation
import Vision

/// YOLO label files: `class cx cy w h` (a box) or `class x1 y1 x2 y2 x3 y3 ...` (a YOLO-seg polygon) per
/// line, coordinates normalised to the image; and `classes.txt`, one class name per line.
public enum YOLOLabels {
    /// How far past 0...1 a coordinate may be and still count as the edge: writers' rounding, not a
    /// real overhang (which means a wrong image or a wrong format).
    public static let tolerance = 0.001

    /// YOLO class number -> class index, and how to say which numbers are known ("project has 0..<3").
    public struct Classes: Sendable {
        public var index: [Int: Int]
        public var known: String
        public init(index: [Int: Int], known: String) {
            self.index = index
            self.known = known
        }
    }

    /// The objects of one label file on a `width` x `height` image. Polygons become their bounds, plus
    /// the filled mask (pixel centres inside, as COCO polygons are filled) when `masks`. The first line
    /// that cannot be read throws with its number; blank lines are passed over.
    public static func read(_ text: String, width: Int, height: Int, classes: Classes, masks: Bool) throws(FormatError)
        -> [DatasetObject]
    {
        var objects: [DatasetObject] = []
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if let object = try self.object(line, number: offset + 1, width: width, height: height, classes: classes, masks: masks) {
                objects.append(object)
            }
        }
        return objects
    }

    private static func object(_ line: Substring, number: Int, width: Int, height: Int, classes: Classes, masks: Bool)
        throws(FormatError) -> DatasetObject?
    {
        func fail(_ reason: FormatError.Reason) -> FormatError { FormatError(.yolo, line: number, reason) }
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard let first = fields.first else { return nil }
        guard let yoloClass = Int(first) else { throw fail(.notAClass(FormatError.token(first))) }
        guard let classIndex = classes.index[yoloClass] else { throw fail(.unknownClass(yoloClass, known: classes.known)) }
        var values: [Double] = []
        for field in fields.dropFirst() {
            guard let value = Double(field), value.isFinite else { throw fail(.notANumber(FormatError.token(field))) }
            guard value >= -tolerance, value <= 1 + tolerance else { throw fail(.outsideUnitRange(FormatError.token(field))) }
            values.append(min(1, max(0, value)))
        }
        let (w, h) = (Double(width), Double(height))
        switch values.count {
        case 4:
            let (cx, cy, bw, bh) = (values[0], values[1], values[2], values[3])
            guard bw > 0, bh > 0 else { throw fail(.noArea(shape: "box")) }
            guard cx - bw / 2 >= -tolerance, cy - bh / 2 >= -tolerance, cx + bw / 2 <= 1 + tolerance, cy + bh / 2 <= 1 + tolerance
            else { throw fail(.boxOutsideImage) }
            return DatasetObject(
                classIndex: classIndex, x1: max(0, cx - bw / 2) * w, y1: max(0, cy - bh / 2) * h,
                x2: min(1, cx + bw / 2) * w, y2: min(1, cy + bh / 2) * h)
        case let count where count >= 6 && count % 2 == 0:
            // [x0, y0, x1, y1, ...] in pixels, COCO's polygon form.
            let polygon = values.enumerated().map { $0.offset % 2 == 0 ? $0.element * w : $0.element * h }
            let xs = stride(from: 0, to: count, by: 2).map { polygon[$0] }
            let ys = stride(from: 1, to: count, by: 2).map { polygon[$0] }
            let (x1, x2, y1, y2) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
            guard x1 < x2, y1 < y2 else { throw fail(.noArea(shape: "polygon")) }
            var mask: COCORLE?
            if masks {
                let filled: BinaryMask
                do throws(PolygonRaster.PolygonError) {
                    filled = try PolygonRaster.fill([polygon], width: width, height: height)
                } catch {
                    throw fail(.polygon(error))
                }
                guard filled.area > 0 else { throw fail(.polygonCoversNoPixel) }
                mask = COCORLE(filled)
            }
            return DatasetObject(classIndex: classIndex, x1: x1, y1: y1, x2: x2, y2: y2, mask: mask)
        case let count:
            throw fail(.valueCount(count))
        }
    }

    /// One label file for a `width` x `height` image: objects with a mask as YOLO-seg polygons (the
    /// mask's outline), the others as boxes; six decimals, as YOLO's own tools write.
    public static func write(_ objects: [DatasetObject], width: Int, height: Int) -> String {
        let (w, h) = (Double(width), Double(height))
        return objects.map { box in
            if let mask = box.mask {
                let outline = mask.mask.outline()
                // At most ~200 vertices: YOLO-seg files stay small and trainers resample anyway.
                let step = Swift.max(1, outline.count / 200)
                let points = stride(from: 0, to: outline.count, by: step).flatMap { [outline[$0].x / w, outline[$0].y / h] }
                if points.count >= 6 { return line(box.classIndex, points) }
            }
            return line(
                box.classIndex, [(box.x1 + box.x2) / 2 / w, (box.y1 + box.y2) / 2 / h, (box.x2 - box.x1) / w, (box.y2 - box.y1) / h])
        }.joined()
    }

    private static func line(_ classIndex: Int, _ values: [Double]) -> String {
        "\(classIndex) " + values.map { String(format: "%.6f", $0) }.joined(separator: " ") + "\n"
    }

    /// The names in a `classes.txt`, blank lines and surrounding spaces dropped.
    public static func classNames(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A `classes.txt` naming `names` in class-number order.
    public static func classList(_ names: [String]) -> String { names.map { $0 + "\n" }.joined() }
}
