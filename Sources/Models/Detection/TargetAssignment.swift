import Foundation

/// FCOS training targets for one image: which locations are positives, for which box.
struct DetectionTargets {
    /// Per location: class index of the assigned box, or -1 for background.
    var classes: [Int]
    /// Per location: index of the assigned object in the image's object list, or -1.
    var objects: [Int]
    /// Per location: (l, t, r, b) distances to the assigned box's sides, in pixels (0 for background).
    var distances: [[Double]]
    /// Per location: the assigned box as (x1, y1, x2, y2) (for the IoU loss).
    var boxes: [Box?]
    /// Per location: FCOS centerness of the location inside its box, √(min(l,r)/max(l,r) · min(t,b)/max(t,b)).
    var centerness: [Double]
    /// Per location: a background location inside an ignored region (its classification is not trained).
    var ignored: [Bool] = []

    var positiveCount: Int { classes.lazy.filter { $0 >= 0 }.count }
}

/// Assigns each location to at most one ground-truth box (FCOS): the location must lie inside the box
/// and within `centerRadius` strides of its centre, the box's largest side distance must fall in the
/// level's size range, and among several candidates the smallest box wins.
/// Background locations inside an `ignored` box are marked ignored.
func assignTargets(objects: [AnnotatedObject], ignored: [Box] = [], grid: PointGrid, config: DetectorConfig) -> DetectionTargets {
    let n = grid.points.count
    var t = DetectionTargets(classes: [Int](repeating: -1, count: n), objects: [Int](repeating: -1, count: n), distances: [[Double]](repeating: [0, 0, 0, 0], count: n),
                             boxes: [Box?](repeating: nil, count: n), centerness: [Double](repeating: 0, count: n))
    for (p, point) in grid.points.enumerated() {
        let stride = Double(config.strides[point.level])
        let range = config.sizeRanges[point.level]
        var bestArea = Double.infinity
        for (k, object) in objects.enumerated() {
            let b = object.box
            let l = point.x - b.x1, top = point.y - b.y1, r = b.x2 - point.x, bottom = b.y2 - point.y
            guard Swift.min(l, top, r, bottom) > 0 else { continue }
            let radius = config.centerRadius * stride
            guard abs(point.x - (b.x1 + b.x2) / 2) < radius, abs(point.y - (b.y1 + b.y2) / 2) < radius else { continue }
            guard range.contains(Swift.max(l, top, r, bottom)) else { continue }
            guard b.area < bestArea else { continue }
            bestArea = b.area
            t.classes[p] = object.classIndex
            t.objects[p] = k
            t.distances[p] = [l, top, r, bottom]
            t.boxes[p] = b
            t.centerness[p] = (Swift.min(l, r) / Swift.max(l, r) * Swift.min(top, bottom) / Swift.max(top, bottom)).squareRoot()
        }
    }
    if !ignored.isEmpty {
        t.ignored = grid.points.enumerated().map { p, point in
            t.classes[p] < 0 && ignored.contains { point.x > $0.x1 && point.x < $0.x2 && point.y > $0.y1 && point.y < $0.y2 }
        }
    }
    return t
}
