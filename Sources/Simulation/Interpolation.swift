/// Linear interpolation through `points` sorted by x: the first point's y before it, the last one's
/// after it (a measured curve cannot say more than it measured). Two points at one x: the later wins.
func interpolated(at x: Int, through points: [(x: Int, y: Double)]) -> Double {
    guard let first = points.first else { return 0 }
    if x <= first.x { return first.y }
    var previous = first
    for point in points.dropFirst() {
        if x <= point.x {
            let span = point.x - previous.x
            guard span > 0 else { return point.y }
            return previous.y + Double(x - previous.x) / Double(span) * (point.y - previous.y)
        }
        previous = point
    }
    return previous.y
}
