import Foundation
import TestSupport
import Testing
import Vision

/// Real files from the shared datasets, copied to a temporary directory first (the datasets are
/// read-only and must never be written). Expected values were read with Pillow 13 in .venv-ref:
/// `a = np.asarray(PIL.Image.open(path)).astype(np.int64); a.shape, a.sum(), a[0, 0], a[17, 123], a[-1, -1]`.
@Suite(
    "real dataset images", .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
struct DatasetDecodingTests {
    struct Reference: Sendable, CustomStringConvertible {
        let path: String
        let width: Int
        let height: Int
        let channels: Int
        let sum: Int
        /// Samples at (x 0, y 0), (x 123, y 17) and the last pixel.
        let corners: [[UInt8]]
        var description: String { path }
    }

    static let references: [Reference] = [
        Reference(
            path: "deepforest-trees/images/2019_YELL_2_541000_4977000_image_crop_800_0.png", width: 400, height: 235,
            channels: 3, sum: 38_126_933, corners: [[101, 106, 101], [43, 70, 108], [186, 192, 162]]),
        Reference(
            path: "bccd-blood-cells/images/BloodImage_00000.jpg", width: 640, height: 480, channels: 3,
            sum: 167_432_379, corners: [[176, 154, 143], [171, 155, 166], [168, 127, 197]]),
        Reference(
            path: "stardist-nuclei/images/nuclei_0_0.png", width: 256, height: 256, channels: 1, sum: 1_905_107,
            corners: [[7], [61], [115]]),
        Reference(
            path: "crackforest-cracks/images/001.jpg", width: 480, height: 320, channels: 3, sum: 58_974_658,
            corners: [[121, 126, 122], [132, 134, 133], [112, 116, 117]]),
    ]

    @Test("PNG and JPEG files decode to Pillow's pixels", arguments: references)
    func decodes(reference: Reference) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.copy(PackagePaths.dataset(reference.path))
        let image = try Image(contentsOf: file)
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(image.channels == reference.channels)
        #expect(image.pixels.reduce(0) { $0 + Int($1) } == reference.sum)
        let points = [(0, 0), (123, 17), (image.width - 1, image.height - 1)]
        for ((x, y), expected) in zip(points, reference.corners) {
            #expect((0..<image.channels).map { image[x: x, y: y, channel: $0] } == expected, "(\(x), \(y))")
        }
    }

    @Test("a real tile survives PNG re-encoding exactly")
    func reencode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.copy(PackagePaths.dataset(Self.references[0].path))
        let image = try Image(contentsOf: file)
        #expect(try Image(decoding: image.pngData(), name: "again.png") == image)
    }

    /// `np.asarray(PIL.Image.open("dsb2018-nuclei/masks/0ea221716cf13710.png"))`: uint16, max 369, 369 ids
    /// besides 0, sum 22190166; coco.json has 369 annotations for that image.
    @Test("a 16-bit instance map keeps all 369 instance ids")
    func instanceMap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.copy(PackagePaths.dataset("dsb2018-nuclei/masks/0ea221716cf13710.png"))
        let map = try LabelMap(contentsOf: file)
        #expect(map.width == 696 && map.height == 520)
        #expect(map.labels.max() == 369)
        #expect(Set(map.labels).subtracting([0]).count == 369)
        #expect(map.labels.reduce(0) { $0 + Int($1) } == 22_190_166)
    }

    @Test("a semantic mask decodes to class ids 0 and 1")
    func semanticMask() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.copy(PackagePaths.dataset("crackforest-cracks/masks/001.png"))
        let map = try LabelMap(contentsOf: file)
        #expect(map.width == 480 && map.height == 320)
        #expect(Set(map.labels) == [0, 1])
        #expect(map.labels.reduce(0) { $0 + Int($1) } == 1831)
    }

    /// Read in place (reading does not modify them): replay benchmarks decode whole sets, so the strict
    /// truncation checks must not reject any real file.
    @Test("every image and mask in every shared dataset decodes")
    func everyFile() throws {
        let files = FileManager.default.enumerator(at: PackagePaths.datasets, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { ["png", "jpg", "jpeg"].contains($0.pathExtension.lowercased()) }
        #expect(files.count > 900)
        for file in files {
            if file.path.contains("/masks/") {
                _ = try LabelMap(contentsOf: file)
            } else {
                let image = try Image(contentsOf: file)
                #expect(image.channels == 1 || image.channels == 3, "\(file.lastPathComponent)")
            }
        }
    }
}
