import Torch

/// Why a weight file does not fit a backbone: tensors it lacks, tensors it has that the backbone does
/// not, and tensors whose shapes differ. Weight files come from users, so a wrong one (another depth,
/// another naming, a detection checkpoint) must be refused with the names rather than half-loaded.
public struct BackboneWeightsError: Error, CustomStringConvertible, Sendable {
    public struct Mismatch: Sendable, Equatable {
        public var name: String
        public var fileShape: [Int]
        public var modelShape: [Int]
    }

    public var backbone: String
    public var file: String
    public var missing: [String]
    public var unexpected: [String]
    public var mismatched: [Mismatch]

    /// At most this many names of each kind are quoted; the counts are always complete.
    static let quoted = 8

    public var description: String {
        func list(_ names: [String]) -> String {
            names.prefix(Self.quoted).joined(separator: ", ") + (names.count > Self.quoted ? ", …" : "")
        }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("\(missing.count) missing (\(list(missing)))") }
        if !unexpected.isEmpty { parts.append("\(unexpected.count) unexpected (\(list(unexpected)))") }
        if !mismatched.isEmpty {
            parts.append(
                "\(mismatched.count) of another shape ("
                    + list(mismatched.map { "\($0.name): file \($0.fileShape), \(backbone) \($0.modelShape)" }) + ")")
        }
        return "'\(file)' does not hold \(backbone) weights: " + parts.joined(separator: "; ")
            + ". Convert torchvision / timm checkpoints with scripts/convert_backbone_weights.py."
    }

    /// Throws when `file` is not exactly the tensors of `model` (names and shapes), apart from names
    /// starting with one of `ignoring`.
    static func check(_ file: [String: Tensor], against model: [String: Tensor], ignoring: [String], backbone: String, file path: String)
        throws
    {
        let missing = model.keys.filter { file[$0] == nil }.sorted()
        let unexpected = file.keys.filter { model[$0] == nil && !ignoring.contains(where: $0.hasPrefix) }.sorted()
        let mismatched = model.keys.sorted().compactMap { name -> Mismatch? in
            guard let tensor = file[name], let target = model[name], tensor.shape != target.shape else { return nil }
            return Mismatch(name: name, fileShape: tensor.shape, modelShape: target.shape)
        }
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw BackboneWeightsError(backbone: backbone, file: path, missing: missing, unexpected: unexpected, mismatched: mismatched)
        }
    }
}
