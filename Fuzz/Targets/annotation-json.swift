import Foundation
import Vision

/// Field for field the body of `PUT .../annotation` (Server's `SubmitAnnotationRequest`: objects of
/// Models' `AnnotatedObject`, labels of Store's `LabelRuns`). Those modules need libtorch and GRDB, so
/// this mirror stands in: every type in it but `COCORLE` has synthesised Codable there too, so the
/// decoding code run is the same. Keep it in step until the format module lets this import the real types.
private struct SubmitAnnotationBody: Decodable {
    struct Box: Decodable { var x1, y1, x2, y2: Double }
    struct Object: Decodable {
        var classIndex: Int
        var box: Box
        var mask: COCORLE?
    }
    struct LabelRuns: Decodable {
        var width: Int
        var height: Int
        var runs: [[Int]]
    }
    enum Source: String, Decodable { case drawn, prelabelAccepted = "prelabel-accepted", edited, imported, deleted }
    var objects: [Object]?
    var labels: LabelRuns?
    var source: Source?
    var version: Int?
}

/// An annotation body as the server's `JSONDecoder()` reads it: any bytes decode or throw, never trap;
/// a mask that decodes encodes back to JSON that decodes to the same mask.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Data(bytes: data, count: size)
    var masks = (try? JSONDecoder().decode(SubmitAnnotationBody.self, from: json))?.objects?.compactMap(\.mask) ?? []
    // Bare masks too, so the fuzzer need not build a whole body to reach COCORLE's decoder.
    masks += (try? JSONDecoder().decode([COCORLE].self, from: json)) ?? []
    for mask in masks {
        let again = (try? JSONEncoder().encode(mask)).flatMap { try? JSONDecoder().decode(COCORLE.self, from: $0) }
        check(again == mask, "\(mask) does not survive JSON")
    }
    return 0
}
