import Foundation
import Testing
import Vision

@testable import Formats

@Suite("COCO segmentations")
struct COCOSegmentationTests {
    static let polygon: [Double] = [2, 1, 4, 1, 4, 3, 2, 3]

    func decode(_ json: String) throws -> COCOSegmentation {
        try JSONDecoder().decode(COCOSegmentation.self, from: Data(json.utf8))
    }

    @Test("polygons, RLE counts and pycocotools strings give the same mask")
    func forms() throws {
        let expected = COCORLE(try PolygonRaster.fill([Self.polygon], width: 6, height: 4))
        let polygons = try decode("[[2, 1, 4, 1, 4, 3, 2, 3]]")
        let counts = try decode(#"{"size": [4, 6], "counts": \#(expected.counts)}"#)
        let string = try decode(#"{"size": [4, 6], "counts": "\#(expected.string)"}"#)
        #expect(polygons == .polygons([Self.polygon]))
        for segmentation in [polygons, counts, string] {
            #expect(try segmentation.mask(width: 6, height: 4) == expected)
        }
        #expect(try decode("[]").mask(width: 6, height: 4) == nil)
    }

    @Test("each form encodes back to the JSON shape it was read from")
    func encoding() throws {
        for json in [#"[[2,1,4,1,4,3,2,3]]"#, #"{"counts":[9,2,2,11],"size":[4,6]}"#, #"{"counts":"92211","size":[4,6]}"#] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let again = String(decoding: try encoder.encode(try decode(json)), as: UTF8.self)
            #expect(again == json)
        }
    }
}
