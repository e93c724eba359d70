import Foundation
import TestSupport
import Testing
@testable import Vision

@Suite("masks")
struct MaskTests {
    @Test("COCO RLE strings of a real set decode to the recorded areas and re-encode to the same string")
    func realRLE() throws {
        let url = PackagePaths.dataset("stardist-nuclei/coco.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let annotations = try #require(json["annotations"] as? [[String: Any]])
        #expect(annotations.count > 100)
        for a in annotations {
            let seg = try #require(a["segmentation"] as? [String: Any])
            let counts = try #require(seg["counts"] as? String)
            let rle = try COCORLE(string: counts, width: 256, height: 256)
            let mask = rle.mask
            #expect(Double(mask.area) == a["area"] as? Double)
            let bbox = try #require(a["bbox"] as? [Double])
            let b = try #require(mask.bounds)
            #expect([Double(b.x1), Double(b.y1), Double(b.x2 - b.x1), Double(b.y2 - b.y1)] == bbox)
            #expect(COCORLE(mask).string == counts)
        }
    }

    @Test("random masks round-trip exactly through RLE counts and strings")
    func roundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        for (w, h) in [(1, 1), (7, 3), (31, 17), (64, 64)] {
            let bits = (0..<(w * h)).map { _ in UInt8.random(in: 0...1, using: &rng) }
            let mask = BinaryMask(width: w, height: h, bits: bits)
            let rle = COCORLE(mask)
            #expect(rle.mask == mask)
            #expect(try COCORLE(string: rle.string, width: w, height: h).mask == mask)
        }
        let full = BinaryMask(width: 5, height: 4, bits: [UInt8](repeating: 1, count: 20))
        #expect(COCORLE(full).counts == [0, 20])
    }

    @Test("malformed RLE and polygons are clear errors")
    func malformed() throws {
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 2, height: 2, counts: [1, 2]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 2, height: 2, counts: [5, -1]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(string: "l~~", width: 4, height: 4) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(string: "\u{7f}", width: 4, height: 4) }
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, 1, 1]], width: 4, height: 4) }
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, .nan, 1, 2, 2]], width: 4, height: 4) }
    }

    @Test("hostile RLE sizes and run lengths are errors, never an overflow trap")
    func hostileRLE() throws {
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 1, height: 1, counts: [Int.max, 1]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 1, height: 1, counts: [1, Int.max]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 4_611_686_018_427_387_904, height: 4, counts: [0]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: -1, height: -1, counts: [1]) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 1 << 20, height: 1 << 20, counts: [1 << 40]) }
        // Runs that pass 2^63 when added to the run two back.
        let string = String(repeating: "ooooooooooo?", count: 40)
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(string: string, width: 100, height: 100) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(string: "0", width: -3, height: 2) }
        let json = Data(#"{"width": 1, "height": 1, "counts": [9223372036854775807, 1]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(COCORLE.self, from: json) }
    }

    @Test("polygons far off the image or onto impossible sizes are errors, never a conversion trap")
    func hostilePolygons() throws {
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, 1e300, 0.5, 0, 100]], width: 8, height: 8) }
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, 4, 0, 4, 4]], width: -1, height: 4) }
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, 4, 0, 4, 4]], width: Int.max, height: 2) }
        // Far but allowed coordinates clip to the mask instead of converting huge crossings.
        let wide = try PolygonRaster.fill([[-9e6, 0, 9e6, 0, 9e6, 4, -9e6, 4]], width: 8, height: 8)
        #expect(wide.area == 32)
    }

    // Found by Fuzz/Targets (rle-counts, rle-string, polygon): a 0-pixel size with one huge side passed
    // validation, and re-encoding or rasterising then looped over that side (hung past libFuzzer's 10 s).
    @Test("empty masks with a side past maxPixels are errors; allowed empty ones encode at once")
    func emptyMaskSides() throws {
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(width: 17_179_869_183, height: 0, counts: []) }
        #expect(throws: COCORLE.RLEError.self) { try COCORLE(string: "", width: 0, height: 1 << 40) }
        #expect(throws: PolygonRaster.PolygonError.self) { try PolygonRaster.fill([[0, 0, 4, 0, 4, 4]], width: 0, height: 1 << 40) }
        let side = COCORLE.maxPixels
        let wide = try COCORLE(width: side, height: 0, counts: [])
        #expect(COCORLE(wide.mask).counts == [0])
        #expect(try PolygonRaster.fill([[0, 0, 4, 0, 4, 4]], width: 0, height: side).bits.isEmpty)
    }

    @Test("polygons fill pixels whose centres are inside, holes stay empty")
    func polygons() throws {
        let square = try PolygonRaster.fill([[2, 2, 8, 2, 8, 6, 2, 6]], width: 10, height: 10)
        #expect(square.area == 24)
        #expect(square.bounds! == (2, 2, 8, 6))
        let ring = try PolygonRaster.fill([[0, 0, 10, 0, 10, 10, 0, 10], [3, 3, 7, 3, 7, 7, 3, 7]], width: 10, height: 10)
        #expect(ring.area == 100 - 16)
        #expect(!ring[5, 5])
        let triangle = try PolygonRaster.fill([[0, 0, 10, 0, 0, 10]], width: 10, height: 10)
        #expect(triangle.area == 45)
    }

    @Test("area, intersection and IoU count pixel by pixel, at sizes that are not whole words and with unequal sizes")
    func overlapCounts() {
        var rng = SystemRandomNumberGenerator()
        for (w, h) in [(1, 1), (3, 5), (8, 1), (13, 7), (64, 3)] {
            let a = BinaryMask(width: w, height: h, bits: (0..<w * h).map { _ in UInt8.random(in: 0...3, using: &rng) })
            let b = BinaryMask(width: w, height: h, bits: (0..<w * h).map { _ in UInt8.random(in: 0...1, using: &rng) })
            let both = zip(a.bits, b.bits).filter { $0.0 != 0 && $0.1 != 0 }.count
            let areaA = a.bits.filter { $0 != 0 }.count, areaB = b.bits.filter { $0 != 0 }.count
            #expect(a.area == areaA && b.area == areaB && a.intersection(b) == both, "\(w)x\(h)")
            let union = areaA + areaB - both
            #expect(a.iou(b) == (union > 0 ? Double(both) / Double(union) : 0), "\(w)x\(h)")
        }
        let full = BinaryMask(width: 9, height: 1, bits: [UInt8](repeating: 1, count: 9))
        let short = BinaryMask(width: 3, height: 1, bits: [1, 1, 1])
        #expect(full.intersection(short) == 3 && short.intersection(full) == 3)
        #expect(BinaryMask(width: 0, height: 0).area == 0 && BinaryMask(width: 0, height: 0).intersection(full) == 0)
    }
}

@Suite("mask outlines")
struct MaskOutlineTests {
    @Test("a filled square's outline runs round its border pixels once, and filling it gives the square back")
    func square() throws {
        var mask = BinaryMask(width: 10, height: 10)
        for y in 2..<7 { for x in 3..<8 { mask[x, y] = true } }
        let outline = mask.outline()
        #expect(outline.count == 16)  // 5x5 block: 4 sides of 5 pixels, corners shared
        #expect(outline.first! == (3.5, 2.5))
        let refilled = try PolygonRaster.fill([outline.flatMap { [$0.x, $0.y] }], width: 10, height: 10)
        #expect(refilled.intersection(mask) == refilled.area)  // nothing outside the original
        #expect(refilled.area >= 16)
    }

    @Test("a disk's outline polygon covers most of the disk; empty masks have no outline")
    func disk() throws {
        var mask = BinaryMask(width: 40, height: 40)
        for y in 0..<40 { for x in 0..<40 where (x - 20) * (x - 20) + (y - 20) * (y - 20) <= 144 { mask[x, y] = true } }
        let polygon = mask.outline().flatMap { [$0.x, $0.y] }
        let refilled = try PolygonRaster.fill([polygon], width: 40, height: 40)
        #expect(refilled.iou(mask) > 0.85)
        #expect(BinaryMask(width: 3, height: 3).outline().isEmpty)
        var dot = BinaryMask(width: 3, height: 3)
        dot[1, 1] = true
        #expect(dot.outline().count == 1)
    }
}
