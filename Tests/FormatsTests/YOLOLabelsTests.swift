import Testing
import Vision

@testable import Formats

@Suite("YOLO label files")
struct YOLOLabelsTests {
    static let classes = YOLOLabels.Classes(index: [0: 0, 1: 1], known: "project has 0..<2")

    func read(_ text: String, masks: Bool = false) throws(FormatError) -> [DatasetObject] {
        try YOLOLabels.read(text, width: 100, height: 50, classes: Self.classes, masks: masks)
    }

    func within1px(_ a: DatasetObject, _ b: DatasetObject) -> Bool {
        a.classIndex == b.classIndex && abs(a.x1 - b.x1) <= 1 && abs(a.y1 - b.y1) <= 1 && abs(a.x2 - b.x2) <= 1
            && abs(a.y2 - b.y2) <= 1
    }

    @Test("boxes written as YOLO read back within rounding")
    func boxesRoundTrip() throws {
        let boxes = [
            DatasetObject(classIndex: 0, x1: 10, y1: 5, x2: 30, y2: 25),
            DatasetObject(classIndex: 1, x1: 40.5, y1: 10.25, x2: 100, y2: 50),
        ]
        let text = YOLOLabels.write(boxes, width: 100, height: 50)
        #expect(text.hasPrefix("0 0.200000 0.300000 0.200000 0.400000\n"))
        let back = try read(text)
        #expect(back.count == 2 && zip(back, boxes).allSatisfy { abs($0.x1 - $1.x1) < 1e-3 && abs($0.y2 - $1.y2) < 1e-3 })
        #expect(try read("") == [])
    }

    @Test("masks written as YOLO-seg read back as masks (IoU >= 0.9) with their bounds, or as bounds alone")
    func polygonsRoundTrip() throws {
        let drawn = try PolygonRaster.fill([[20, 10, 70, 15, 85, 45, 45, 48, 12, 40]], width: 100, height: 50)
        let bounds = try #require(drawn.bounds)
        let object = DatasetObject(
            classIndex: 1, x1: Double(bounds.x1), y1: Double(bounds.y1), x2: Double(bounds.x2), y2: Double(bounds.y2),
            mask: COCORLE(drawn))
        let text = YOLOLabels.write([object], width: 100, height: 50)
        #expect(text.split(separator: " ").count > 7)
        let back = try #require(try read(text, masks: true).first)
        #expect(within1px(back, object))
        #expect(try #require(back.mask).mask.iou(drawn) >= 0.9)
        let boundsOnly = try #require(try read(text, masks: false).first)
        #expect(boundsOnly.mask == nil && within1px(boundsOnly, object))
    }

    @Test("blank lines, CRLF and values within the tolerance of the edges are read")
    func lenient() throws {
        let objects = try read("\n0 0.5 0.5 1.0005 1\r\n\n1 0.5 0.5 0.2 0.2\r\n")
        #expect(objects.map(\.classIndex) == [0, 1])
        #expect(objects.first.map { ($0.x1, $0.x2) } ?? (-1, -1) == (0, 100))
    }

    /// The error reading `text` throws, failing the test when it throws none.
    func error(_ text: String, masks: Bool = false, width: Int = 100) -> FormatError? {
        do throws(FormatError) {
            _ = try YOLOLabels.read(text, width: width, height: 50, classes: Self.classes, masks: masks)
            Issue.record("no error for \(text)")
            return nil
        } catch {
            return error
        }
    }

    @Test("every malformed line is refused with its number and why")
    func malformed() {
        let cases: [(String, Int, FormatError.Reason)] = [
            ("0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n", 2, .valueCount(3)),
            ("x 0.5 0.5 0.2 0.2", 1, .notAClass("x")),
            ("0.5 0.5 0.5 0.2 0.2", 1, .notAClass("0.5")),
            ("\n5 0.5 0.5 0.2 0.2", 2, .unknownClass(5, known: "project has 0..<2")),
            ("0 0.5 abc 0.2 0.2", 1, .notANumber("abc")),
            ("0 0.5 nan 0.2 0.2", 1, .notANumber("nan")),
            ("0 0.5 0.5 0.2 1.7", 1, .outsideUnitRange("1.7")),
            ("0 0.5 0.5 0 0.2", 1, .noArea(shape: "box")),
            ("0 0.9 0.5 0.4 0.2", 1, .boxOutsideImage),
            ("0 0.1 0.2 0.1 0.5 0.1 0.9", 1, .noArea(shape: "polygon")),
            ("0 0.1 0.2 0.5 0.2 0.3 0.6 0.4", 1, .valueCount(7)),
        ]
        for (text, line, reason) in cases {
            #expect(error(text) == FormatError(.yolo, line: line, reason), "\(text)")
        }
        #expect(
            error("0 0.1 0.2 0.5 0.2 0.3 0.6", masks: true, width: -1)
                == FormatError(.yolo, line: 1, .polygon(.invalidSize(width: -1, height: 50))))
        // A sliver between pixel centres has an area but fills no pixel.
        #expect(error("0 0.001 0.001 0.009 0.001 0.005 0.009", masks: true) == FormatError(.yolo, line: 1, .polygonCoversNoPixel))
        #expect(
            FormatError(.yolo, line: 2, .outsideUnitRange("1.7")).description == "line 2: 1.7 is outside 0...1")
    }

    @Test("a long token is quoted shortened, never the whole line")
    func longTokens() {
        let junk = String(repeating: "A", count: 10_000)
        let thrown = error("0 0.5 \(junk) 0.2 0.2")
        #expect(thrown == FormatError(.yolo, line: 1, .notANumber(String(repeating: "A", count: 32) + "…")))
        #expect((thrown?.description.count ?? .max) < 100)
    }

    @Test("classes.txt: names one per line, written and read back in order")
    func classList() {
        let names = ["tree", "dead tree", "shrub"]
        #expect(YOLOLabels.classList(names) == "tree\ndead tree\nshrub\n")
        #expect(YOLOLabels.classNames(in: YOLOLabels.classList(names)) == names)
        #expect(YOLOLabels.classNames(in: "  tree \r\n\n shrub") == ["tree", "shrub"])
    }
}
