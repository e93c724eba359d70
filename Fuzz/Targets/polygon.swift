import Vision

/// COCO polygons rasterised onto a mask: any coordinates (NaN, infinities, 1e308, odd counts) and any
/// size must give a mask or a thrown error, never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let width = input.size(), height = input.size()
    // A large valid mask costs time, not correctness: skip it. Empty (0 x 2^40), negative, overflowing
    // and oversized sizes are the hostile ones and all go through.
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    if width > 0, height > 0, !overflow, pixels > 64 * 64, pixels <= COCORLE.maxPixels { return 0 }
    var polygons: [[Double]] = []
    for _ in 0..<input.byte() % 4 {
        var flat: [Double] = []
        for _ in 0..<input.byte() % 24 {
            // Quarter-pixel steps from -16 to 44 put edges on, beside and beyond pixel centres;
            // tags from 0xF0 read any bit pattern.
            let tag = input.byte()
            flat.append(tag >= 0xF0 ? input.rawDouble() : Double(Int(tag) - 64) / 4)
        }
        polygons.append(flat)
    }
    guard let mask = try? PolygonRaster.fill(polygons, width: width, height: height) else { return 0 }
    check(mask.width == width && mask.height == height, "\(width)x\(height) gave a \(mask.width)x\(mask.height) mask")

    // A pixel whose centre is inside (even-odd) lies within the points' bounding box, borders included.
    let xs = polygons.flatMap { p in stride(from: 0, to: p.count, by: 2).map { p[$0] } }
    let ys = polygons.flatMap { p in stride(from: 1, to: p.count, by: 2).map { p[$0] } }
    for (i, bit) in mask.bits.enumerated() where bit != 0 {
        let (cx, cy) = (Double(i % width) + 0.5, Double(i / width) + 0.5)
        check(xs.min()! <= cx && cx <= xs.max()! && ys.min()! <= cy && cy <= ys.max()!, "pixel centre (\(cx), \(cy)) of \(polygons)")
    }
    return 0
}
