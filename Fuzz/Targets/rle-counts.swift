import Vision

/// COCO RLE as JSON gives it (`{width, height, counts: [...]}`): any runs and size must be accepted or
/// thrown, never trap; what is accepted must survive mask and string form unchanged.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let width = input.size(), height = input.size()
    var counts: [Int] = []
    while !input.isEmpty {
        // Byte-sized runs let libFuzzer hit an exact cover of a small mask; 0xFF escapes to any Int.
        let byte = input.byte()
        counts.append(byte == 0xFF ? input.integer(Int.self) : Int(byte))
    }
    guard let rle = try? COCORLE(width: width, height: height, counts: counts) else { return 0 }

    // The string form must carry the exact counts, zero-length runs included.
    let decoded = try? COCORLE(string: rle.string, width: width, height: height)
    check(decoded?.counts == counts, "\(counts) came back from \(rle.string) as \(String(describing: decoded?.counts))")

    // A valid mask may be 2^28 pixels; building one per input that large would only measure memset.
    guard width * height <= 1 << 20 else { return 0 }
    let mask = rle.mask
    let ones = counts.enumerated().reduce(0) { $0 + ($1.offset % 2 == 1 ? $1.element : 0) }
    check(mask.width == width && mask.height == height && mask.area == ones, "mask of \(counts) has area \(mask.area)")
    check(COCORLE(mask).mask == mask, "mask of \(counts) does not re-encode to itself")
    return 0
}
