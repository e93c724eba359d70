import Vision

/// A COCO `segmentation` as files carry it: polygons, uncompressed RLE, or pycocotools' compressed
/// RLE string. Decoding only checks the JSON shape; `mask(width:height:)` checks the numbers.
public enum COCOSegmentation: Codable, Sendable, Equatable {
    /// Each polygon a flat [x0, y0, x1, y1, ...] list in pixels.
    case polygons([[Double]])
    /// `size` is [height, width], as pycocotools has it.
    case rle(size: [Int], counts: [Int])
    case compressed(size: [Int], counts: String)

    private enum Keys: String, CodingKey { case size, counts }

    public init(from decoder: any Decoder) throws {
        if let polygons = try? decoder.singleValueContainer().decode([[Double]].self) {
            self = .polygons(polygons)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        let size = try c.decode([Int].self, forKey: .size)
        if let counts = try? c.decode([Int].self, forKey: .counts) {
            self = .rle(size: size, counts: counts)
        } else {
            self = .compressed(size: size, counts: try c.decode(String.self, forKey: .counts))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .polygons(let polygons):
            var c = encoder.singleValueContainer()
            try c.encode(polygons)
        case .rle(let size, let counts):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(size, forKey: .size)
            try c.encode(counts, forKey: .counts)
        case .compressed(let size, let counts):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(size, forKey: .size)
            try c.encode(counts, forKey: .counts)
        }
    }

    /// The uncompressed RLE form of `mask`, as the exports write it.
    public init(_ mask: COCORLE) { self = .rle(size: [mask.height, mask.width], counts: mask.counts) }

    /// The mask on a `width` x `height` image; nil for the empty polygon list that box-only COCO files
    /// carry. An RLE must declare the image's own size; polygons are filled at it. Errors name no
    /// field: the caller knows which annotation this is.
    public func mask(width: Int, height: Int) throws(FormatError) -> COCORLE? {
        let rle: COCORLE
        switch self {
        case .polygons(let polygons) where polygons.isEmpty:
            return nil
        case .polygons(let polygons):
            do throws(PolygonRaster.PolygonError) {
                rle = COCORLE(try PolygonRaster.fill(polygons, width: width, height: height))
            } catch {
                throw FormatError(.coco, .polygon(error))
            }
        case .rle(let size, let counts):
            guard size.count == 2 else { throw FormatError(.coco, .rle(.malformed("size must be [height, width]"))) }
            do throws(COCORLE.RLEError) {
                rle = try COCORLE(width: size[1], height: size[0], counts: counts)
            } catch {
                throw FormatError(.coco, .rle(error))
            }
        case .compressed(let size, let counts):
            guard size.count == 2 else { throw FormatError(.coco, .rle(.malformed("size must be [height, width]"))) }
            do throws(COCORLE.RLEError) {
                rle = try COCORLE(string: counts, width: size[1], height: size[0])
            } catch {
                throw FormatError(.coco, .rle(error))
            }
        }
        guard (rle.width, rle.height) == (width, height) else {
            throw FormatError(.coco, .maskSize(width: rle.width, height: rle.height, imageWidth: width, imageHeight: height))
        }
        return rle
    }
}
