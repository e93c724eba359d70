import Vision

/// Why a dataset file cannot be read, and where: the file (when the caller named it), the line of a
/// text format, the field of a JSON one. Messages quote at most the offending token of the file, and
/// that shortened, because they end up in API answers and import reports.
public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being read; names the format in messages about a whole file.
    public enum Format: String, Sendable {
        case json = "JSON document"
        case coco = "COCO detection file"
        case yolo = "YOLO label file"
        case labelMap = "label map"
    }

    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The bytes are not JSON, or a value in it is not valid (the parser's or the value's own words).
        case malformed(String)
        case missingField(String)
        /// `expected` in JSON terms ("an integer", "an array"); `null` when the value was null.
        case wrongType(expected: String, null: Bool)
        /// Two images or two categories with one id: which one an annotation means is unknowable.
        case duplicateID(Int64)
        case unknownCategory(Int)
        /// A COCO `bbox` with other than 4 numbers.
        case boxValues(Int)
        case rle(COCORLE.RLEError)
        case polygon(PolygonRaster.PolygonError)
        /// A mask whose size is not its image's.
        case maskSize(width: Int, height: Int, imageWidth: Int, imageHeight: Int)
        /// A YOLO class field that is not an integer (the token, shortened).
        case notAClass(String)
        case notANumber(String)
        case outsideUnitRange(String)
        /// A class number the caller's class list lacks; `known` says which are known.
        case unknownClass(Int, known: String)
        /// A YOLO line with neither 4 numbers nor a polygon's even count of at least 6.
        case valueCount(Int)
        case noArea(shape: String)
        case boxOutsideImage
        case polygonCoversNoPixel
        /// The bytes do not decode as an image (a label map's PNG).
        case image(ImageError)
        case labelMapSize(width: Int, height: Int, imageWidth: Int, imageHeight: Int)
        /// Label values past the class list: the first few, how many classes there are, whose they are.
        case unknownLabels([Int], classCount: Int, owner: String)

        public var description: String {
            switch self {
            case .malformed(let why): why
            case .missingField(let name): "missing field '\(name)'"
            case .wrongType(let expected, let null): "expected \(expected)" + (null ? ", found null" : "")
            case .duplicateID(let id): "id \(id) is used twice"
            case .unknownCategory(let id): "category_id \(id) is not in categories"
            case .boxValues(let count): "bbox needs 4 numbers [x, y, width, height], got \(count)"
            case .rle(let error): error.description
            case .polygon(let error): error.description
            case .maskSize(let w, let h, let iw, let ih): "the mask is \(w)x\(h), the image is \(iw)x\(ih)"
            case .notAClass(let token): "class '\(token)' is not a whole number"
            case .notANumber(let token): "'\(token)' is not a number"
            case .outsideUnitRange(let token): "\(token) is outside 0...1"
            case .unknownClass(let number, let known): "class \(number) unknown (\(known))"
            case .valueCount(let count):
                "expected 4 numbers (cx cy w h) or an even count of 6 or more (a polygon) after the class, got \(count)"
            case .noArea(let shape): "the \(shape) has no area"
            case .boxOutsideImage: "the box reaches outside the image"
            case .polygonCoversNoPixel: "the polygon covers no pixel centre"
            case .image(let error): error.description
            case .labelMapSize(let w, let h, let iw, let ih): "the label map is \(w)x\(h), the image is \(iw)x\(ih)"
            case .unknownLabels(let labels, let count, let owner):
                "class \(labels.count == 1 ? "index" : "indices") "
                    + labels.prefix(5).map(String.init).joined(separator: ", ") + (labels.count > 5 ? ", …" : "")
                    + " unknown (\(owner) has 0..<\(count))"
            }
        }
    }

    public var format: Format
    /// The file's name as the caller gave it; nil when the caller names the file itself (a report row).
    public var file: String?
    /// 1-based, in text formats.
    public var line: Int?
    /// Where in a JSON document, e.g. `annotations[3].bbox`.
    public var field: String?
    public var reason: Reason

    public init(_ format: Format, file: String? = nil, line: Int? = nil, field: String? = nil, _ reason: Reason) {
        self.format = format
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        let place = [line.map { "line \($0)" }, field].compactMap { $0 }.joined(separator: ", ")
        let detail = place.isEmpty ? reason.description : "\(place): \(reason)"
        return file.map { "'\($0)' is not a \(format.rawValue): \(detail)" } ?? detail
    }

    /// A token from a file as messages quote it: short enough that a line of junk is not echoed whole.
    static func token(_ text: some StringProtocol) -> String {
        text.count <= 32 ? String(text) : text.prefix(32) + "…"
    }
}
