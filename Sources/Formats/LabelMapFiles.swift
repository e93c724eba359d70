import Foundation
import Vision

/// Semantic label maps as dataset files carry them: a greyscale PNG (8 or 16 bits) of an image's size,
/// pixel value = class index. What the VOC export writes (Vision's PNG encoder) and what Pascal VOC's
/// `SegmentationClass` holds, void outlines included.
public enum LabelMapFiles {
    /// Pascal VOC's "void": the thin outline drawn around objects, no class of its own.
    public static let vocVoid: UInt16 = 255

    /// The label map in `data` (a PNG) for a `width` x `height` image with classes 0..<`classCount`;
    /// `owner` names whose classes those are in errors ("project").
    public static func read(
        _ data: Data, name: String, maxPixels: Int, width: Int, height: Int, classCount: Int, owner: String
    ) throws(FormatError) -> LabelMap {
        let decoded: LabelMap
        do throws(ImageError) {
            decoded = try LabelMap(decoding: data, name: name, maxPixels: maxPixels)
        } catch {
            throw FormatError(.labelMap, .image(error))
        }
        return try checked(decoded, width: width, height: height, classCount: classCount, owner: owner)
    }

    /// `decoded` once it fits the image and names only known classes. VOC's void 255 becomes background
    /// when there are not that many classes: otherwise every VOC map would be refused for one thin border.
    public static func checked(_ decoded: LabelMap, width: Int, height: Int, classCount: Int, owner: String)
        throws(FormatError) -> LabelMap
    {
        var map = decoded
        if classCount <= vocVoid {
            map = LabelMap(width: map.width, height: map.height, labels: map.labels.map { $0 == vocVoid ? 0 : $0 })
        }
        guard (map.width, map.height) == (width, height) else {
            throw FormatError(.labelMap, .labelMapSize(width: map.width, height: map.height, imageWidth: width, imageHeight: height))
        }
        let unknown = Set(map.labels.filter { Int($0) >= classCount }).sorted()
        guard unknown.isEmpty else {
            // Six are enough to name five and say there are more.
            throw FormatError(.labelMap, .unknownLabels(unknown.prefix(6).map(Int.init), classCount: classCount, owner: owner))
        }
        return map
    }
}
