/// The centres of every head location, level by level in the order `Detector.Output` flattens them.
struct PointGrid {
    struct Point {
        var x: Double, y: Double
        var level: Int
    }
    let points: [Point]

    init(grids: [(Int, Int)], strides: [Int]) {
        var points: [Point] = []
        for (level, (h, w)) in grids.enumerated() {
            let s = Double(strides[level])
            for i in 0..<h {
                for j in 0..<w { points.append(Point(x: (Double(j) + 0.5) * s, y: (Double(i) + 0.5) * s, level: level)) }
            }
        }
        self.points = points
    }
}
