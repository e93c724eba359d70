import Store
import Vision

/// A COCO `segmentation` as files carry it: polygons, uncompressed RLE, or pycocotools' compressed
/// RLE string; turned into the store's mask for an image of a known size.
enum COCOSegmentation: Decodable {
    case polygons([[Double]])
    case rle(size: [Int], counts: [Int])
    case compressed(size: [Int], counts: String)

    private enum Keys: String, CodingKey { case size, counts }

    init(from decoder: any Decoder) throws {
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

    /// The mask on a `width` x `height` image (the store checks it covers the image); nil for the
    /// empty polygon list box-only COCO files carry.
    func mask(width: Int, height: Int) throws -> MaskRLE? {
        switch self {
        case .polygons(let polygons) where polygons.isEmpty:
            return nil
        case .polygons(let polygons):
            let rle = COCORLE(try PolygonRaster.fill(polygons, width: width, height: height))
            return MaskRLE(width: rle.width, height: rle.height, counts: rle.counts)
        case .rle(let size, let counts):
            guard size.count == 2 else { throw COCORLE.RLEError.malformed("size must be [height, width]") }
            let rle = try COCORLE(width: size[1], height: size[0], counts: counts)
            return MaskRLE(width: rle.width, height: rle.height, counts: rle.counts)
        case .compressed(let size, let counts):
            guard size.count == 2 else { throw COCORLE.RLEError.malformed("size must be [height, width]") }
            let rle = try COCORLE(string: counts, width: size[1], height: size[0])
            return MaskRLE(width: rle.width, height: rle.height, counts: rle.counts)
        }
    }
}
