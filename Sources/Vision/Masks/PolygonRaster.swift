/// Fills polygons into a mask: a pixel is inside when its centre is, by the even-odd rule, so shared
/// edges of adjacent polygons don't double-count and holes drawn as inner rings stay empty.
public enum PolygonRaster {
    public enum PolygonError: Error, CustomStringConvertible, Equatable {
        case tooFewPoints(Int)
        case notFinite
        case outOfRange(Double)
        case invalidSize(width: Int, height: Int)
        public var description: String {
            switch self {
            case .tooFewPoints(let n): "a polygon needs at least 3 points, got \(n)"
            case .notFinite: "polygon coordinates must be finite numbers"
            case .outOfRange(let v): "polygon coordinate \(v) is beyond ±\(PolygonRaster.maxCoordinate)"
            case .invalidSize(let w, let h): "cannot rasterise onto a \(w)x\(h) mask"
            }
        }
    }

    /// Coordinates past this are no mask's pixels (no side exceeds `COCORLE.maxPixels`); bounding them
    /// keeps every crossing finite.
    public static let maxCoordinate = Double(COCORLE.maxPixels)

    /// `polygons`: each a flat [x0, y0, x1, y1, ...] list in pixels (COCO's polygon form).
    public static func fill(_ polygons: [[Double]], width: Int, height: Int) throws(PolygonError) -> BinaryMask {
        // The RLE's rule, so every mask rasterised here can be stored as one.
        guard (try? COCORLE.pixelCount(width: width, height: height)) != nil else {
            throw .invalidSize(width: width, height: height)
        }
        var mask = BinaryMask(width: width, height: height)
        var edges: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        for flat in polygons {
            guard flat.count >= 6, flat.count % 2 == 0 else { throw .tooFewPoints(flat.count / 2) }
            guard flat.allSatisfy(\.isFinite) else { throw .notFinite }
            if let far = flat.first(where: { abs($0) > maxCoordinate }) { throw .outOfRange(far) }
            let n = flat.count / 2
            for i in 0..<n {
                let j = (i + 1) % n
                edges.append((flat[2 * i], flat[2 * i + 1], flat[2 * j], flat[2 * j + 1]))
            }
        }
        // Nothing to fill, and scanning the rows of a 0-wide mask would cost its height in edge loops.
        guard width > 0 else { return mask }
        for y in 0..<height {
            let cy = Double(y) + 0.5
            var xs: [Double] = []
            for e in edges where (e.y0 <= cy) != (e.y1 <= cy) {
                xs.append(e.x0 + (cy - e.y0) / (e.y1 - e.y0) * (e.x1 - e.x0))
            }
            xs.sort()
            var k = 0
            while k + 1 < xs.count {
                // Clamped while still Double: a crossing far off the image must not reach Int().
                let first = Swift.min(Swift.max((xs[k] - 0.5).rounded(.up), 0), Double(width))
                let last = Swift.min(Swift.max((xs[k + 1] - 0.5).rounded(.up), 0), Double(width))
                let start = Int(first), end = Int(last) - 1  // half-open: a centre on the right edge is out
                if start <= end { for x in start...end { mask[x, y] = true } }
                k += 2
            }
        }
        return mask
    }
}
