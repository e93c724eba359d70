extension Image {
    /// The pixels of the rectangle (x, y, width, height), clipped to the image; nil when nothing is left.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> Image? {
        let x0 = Swift.max(0, x), y0 = Swift.max(0, y)
        let x1 = Swift.min(width, x + w), y1 = Swift.min(height, y + h)
        guard x1 > x0, y1 > y0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity((x1 - x0) * (y1 - y0) * channels)
        for row in y0..<y1 {
            let start = (row * width + x0) * channels
            out += pixels[start..<(start + (x1 - x0) * channels)]
        }
        return Image(width: x1 - x0, height: y1 - y0, channels: channels, pixels: out)
    }

    /// Square tiles of `side` pixels in reading order with their origins; edge tiles narrower than half
    /// a tile are dropped (they would be mostly padding for a model).
    public func tiles(side: Int) -> [(x: Int, y: Int, image: Image)] {
        var out: [(Int, Int, Image)] = []
        for y in stride(from: 0, to: height, by: side) where height - y >= side / 2 {
            for x in stride(from: 0, to: width, by: side) where width - x >= side / 2 {
                if let tile = cropped(x: x, y: y, width: side, height: side) { out.append((x, y, tile)) }
            }
        }
        return out
    }
}
