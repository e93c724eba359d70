import Foundation
import Models
import Testing
import Vision

@Suite("label maps in JSON")
struct LabelMapCodingTests {
    @Test("maps round-trip through their runs")
    func roundTrip() throws {
        let map = LabelMap(width: 3, height: 2, labels: [0, 0, 1, 1, 1, 2])
        #expect(try JSONDecoder().decode(LabelMap.self, from: JSONEncoder().encode(map)) == map)
    }

    // Found by Fuzz/Targets while reading the decoder: each of these trapped (overflow or allocation).
    @Test("sizes and runs that overflow or cannot be allocated are decoding errors, never a trap", arguments: [
        #"{"width": 4611686018427387904, "height": 4, "runs": []}"#,
        #"{"width": 2, "height": 2, "runs": [[0, 1], [0, 9223372036854775807]]}"#,
        #"{"width": 3037000500, "height": 3037000499, "runs": []}"#,
        #"{"width": 2, "height": 2, "runs": [[0, -1], [0, 5]]}"#,
        #"{"width": 0, "height": 5, "runs": []}"#,
        #"{"width": 2, "height": 2, "runs": [[70000, 4]]}"#,
    ])
    func hostile(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LabelMap.self, from: Data(json.utf8)) }
    }
}
