extension BinaryMask {
    /// The outer boundary of the component holding the first set pixel (raster order), traced
    /// clockwise through 8-connected boundary pixels (Moore-neighbour tracing), as pixel centres.
    /// Exporters that need polygons (YOLO-seg) use it; holes and further components are not traced.
    public func outline() -> [(x: Double, y: Double)] {
        guard let start = bits.firstIndex(of: 1) else { return [] }
        let s = (x: start % width, y: start / width)
        // Clockwise from west, in image coordinates (y down).
        let directions = [(-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1)]
        func set(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x] != 0 }
        var points = [(x: Double(s.x) + 0.5, y: Double(s.y) + 0.5)]
        var current = s, from = 0  // the neighbour we arrived from (start: west, which is unset)
        for _ in 0..<(4 * width * height) {
            var moved = false
            for k in 1...8 {
                let d = (from + k) % 8
                let next = (x: current.x + directions[d].0, y: current.y + directions[d].1)
                if set(next.x, next.y) {
                    from = (d + 4) % 8  // look back at where we came from, then sweep clockwise
                    current = next
                    moved = true
                    break
                }
            }
            if !moved || (current.x == s.x && current.y == s.y) { break }
            points.append((Double(current.x) + 0.5, Double(current.y) + 0.5))
        }
        return points
    }
}
