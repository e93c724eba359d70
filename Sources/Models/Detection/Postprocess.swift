import Torch

/// Turns one image's head outputs into scored boxes: FCOS's score √(p_class · p_centerness) for
/// locations whose class probability passes the threshold, top candidates, class-wise NMS.
func decodeDetections(cls: Tensor, box: Tensor, ctr: Tensor, grid: PointGrid, scoreThreshold: Double, nmsIoU: Double, maxDetections: Int,
                      candidates: Int = 1000) throws -> [Prediction.Object] {
    try decodeDetectionsWithIndices(cls: cls, box: box, ctr: ctr, grid: grid, scoreThreshold: scoreThreshold, nmsIoU: nmsIoU,
                                    maxDetections: maxDetections, candidates: candidates).map(\.object)
}

/// As `decodeDetections`, also returning each kept object's location index (for its mask coefficients).
func decodeDetectionsWithIndices(cls: Tensor, box: Tensor, ctr: Tensor, grid: PointGrid, scoreThreshold: Double, nmsIoU: Double,
                                 maxDetections: Int, candidates: Int = 1000) throws -> [(object: Prediction.Object, location: Int)] {
    // cls [P, C], box [P, 4], ctr [P]
    let classes = cls.size(1)
    let prob = try cls.sigmoid().floats(), centre = try ctr.sigmoid().floats(), dist = try box.floats()
    var found: [(score: Double, p: Int, c: Int)] = []
    for p in 0..<grid.points.count {
        for c in 0..<classes {
            let pc = Double(prob[p * classes + c])
            if pc > scoreThreshold { found.append(((pc * Double(centre[p])).squareRoot(), p, c)) }
        }
    }
    found.sort { $0.score > $1.score }
    let top = Array(found.prefix(candidates))
    let objects = top.map { f -> Prediction.Object in
        let pt = grid.points[f.p], d = dist[(f.p * 4)..<(f.p * 4 + 4)].map(Double.init)
        return Prediction.Object(classIndex: f.c, box: Box(x1: pt.x - d[0], y1: pt.y - d[1], x2: pt.x + d[2], y2: pt.y + d[3]), score: f.score)
    }
    return nonMaxSuppression(objects, iou: nmsIoU, limit: maxDetections).map { (objects[$0], top[$0].p) }
}
