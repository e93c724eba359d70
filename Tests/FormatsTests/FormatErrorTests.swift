import Foundation
import Testing

@testable import Formats

@Suite("format errors")
struct FormatErrorTests {
    @Test("the message reads file, line, field, reason, leaving out what is unknown")
    func description() {
        #expect(FormatError(.yolo, .valueCount(3)).description.hasPrefix("expected 4 numbers"))
        #expect(FormatError(.yolo, line: 4, .notANumber("x")).description == "line 4: 'x' is not a number")
        #expect(
            FormatError(.yolo, file: "a.txt", line: 4, .notANumber("x")).description
                == "'a.txt' is not a YOLO label file: line 4: 'x' is not a number")
        #expect(
            FormatError(.coco, field: "annotations[2].category_id", .unknownCategory(9)).description
                == "annotations[2].category_id: category_id 9 is not in categories")
    }

    struct Body: Decodable {
        struct Box: Decodable { var x1: Double }
        var name: String
        var boxes: [Box]
    }

    func decodingError(_ json: String) -> FormatError? {
        do {
            _ = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
            Issue.record("decoded \(json)")
            return nil
        } catch let error as DecodingError {
            return FormatError(error, format: .json)
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    @Test("JSON decoding failures name the path and say what was expected in JSON's words")
    func decoding() {
        #expect(decodingError(#"{"boxes": []}"#)?.description == "missing field 'name'")
        #expect(decodingError(#"{"name": 5, "boxes": []}"#)?.description == "name: expected a string")
        #expect(decodingError(#"{"name": "a", "boxes": [{"x1": "0"}]}"#)?.description == "boxes[0].x1: expected a number")
        #expect(decodingError(#"{"name": "a", "boxes": [{}]}"#)?.description == "boxes[0]: missing field 'x1'")
        #expect(decodingError(#"{"name": null, "boxes": []}"#)?.description == "name: expected a string, found null")
        guard case .malformed = decodingError(#"{"name": "#)?.reason else {
            Issue.record("truncated JSON is not malformed")
            return
        }
    }
}
