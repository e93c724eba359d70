import Vision

/// COCO's compressed RLE string (a COCO file's `counts` with its `size`): any text and size must be
/// decoded or thrown, never trap; what decodes must re-encode to the same runs.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let width = input.size(), height = input.size()
    // JSON strings are Unicode: bad UTF-8 reaches the decoder as U+FFFD, as it would from a file.
    let string = String(decoding: input.rest(), as: UTF8.self)
    guard let rle = try? COCORLE(string: string, width: width, height: height) else { return 0 }
    check(rle.width == width && rle.height == height, "\(string) decoded to \(rle.width)x\(rle.height)")

    // Not necessarily the same text (a run may be spelt with redundant groups), but the same runs.
    let again = try? COCORLE(string: rle.string, width: width, height: height)
    check(again == rle, "\(rle.counts) re-encoded as \(rle.string) decodes to \(String(describing: again?.counts))")

    guard width * height <= 1 << 20 else { return 0 }  // see rle-counts
    let mask = rle.mask
    let canonical = COCORLE(mask)
    check(canonical.mask == mask, "mask of \(rle.counts) does not re-encode to itself")
    check((try? COCORLE(string: canonical.string, width: width, height: height))?.mask == mask, "canonical string of \(rle.counts)")
    return 0
}
