import Testing

@testable import Formats

@Suite("export names")
struct ExportNamesTests {
    func assign(_ pairs: [(String, String)]) -> [String] {
        ExportNames.assign(pairs.map { ExportNames.Source(original: $0.0, stored: $0.1) })
    }

    @Test("names keep their own form; clashing stems (case-folded, across extensions) get -2, -3 in order")
    func unique() {
        let names = assign([
            ("tile.png", "u1.png"), ("Tile.jpg", "u2.jpg"), ("tile.png", "u3.png"), ("tile-2.png", "u4.png"),
            ("other.JPEG", "u5.jpg"),
        ])
        // tile-2 is an upload's own name, so the second clash skips it.
        #expect(names == ["tile.png", "Tile-3.jpg", "tile-4.png", "tile-2.png", "other.JPEG"])
        #expect(Set(names.map { ExportNames.stem(of: $0).lowercased() }).count == names.count)
        #expect(assign([("a.png", "x.png"), ("a.png", "y.png")]) == assign([("a.png", "x.png"), ("a.png", "y.png")]))
    }

    @Test("folder parts, .., backslashes, control and Windows-reserved characters never reach the path")
    func safe() {
        let names = assign([
            ("../../etc/passwd", "u.png"), ("C:\\photos\\tile 3.jpg", "u.jpg"), ("..", "u.png"), ("", "u.png"),
            ("a\u{7}b:c?.png", "u.png"), (".hidden.png", "u.png"), ("name. ", "u.jpg"),
        ])
        #expect(names == ["passwd.png", "tile 3.jpg", "image.png", "image-2.png", "ab_c_.png", "hidden.png", "name.jpg"])
        #expect(names.allSatisfy { ExportNames.isSafeArchivePath("images/" + $0) })
    }

    @Test("the extension names the stored bytes: a wrong or missing one gets the stored one added")
    func extensions() {
        #expect(assign([("scan", "u.png"), ("photo.png", "u.jpg"), ("photo.jpeg", "v.jpg")]) == ["scan.png", "photo.png.jpg", "photo.jpeg"])
    }

    @Test("long names are cut to a stem of at most 120 characters")
    func long() {
        let name = assign([(String(repeating: "x", count: 300) + ".png", "u.png")])[0]
        #expect(name == String(repeating: "x", count: 120) + ".png")
    }

    @Test("archive paths: relative, forward slashes, no empty, . or .. part")
    func archivePaths() {
        #expect(ExportNames.isSafeArchivePath("labels/a b.txt"))
        for bad in ["", "/a", "a/../b", "..", "./a", "a//b", "a\\b", "a/", "C:a", "a\u{0}b"] {
            #expect(!ExportNames.isSafeArchivePath(bad), "\(bad)")
        }
    }
}

@Suite("YOLO data.yaml")
struct YOLODataYAMLTests {
    @Test("names are numbered, quoted so that colons, quotes and # read back as written")
    func text() {
        let text = YOLODataYAML.text(classNames: ["tree", "a: \"b\" #c", "x\\y\u{1}"])
        #expect(text.contains("train: images\nval: images\nnc: 3\nnames:\n"))
        #expect(text.contains("  0: \"tree\"\n"))
        #expect(text.contains("  1: \"a: \\\"b\\\" #c\"\n"))
        #expect(text.contains("  2: \"x\\\\y\\u0001\"\n"))
        #expect(!text.contains("path:"))
    }

    @Test("a VOC image set lists one stem a line")
    func imageSet() {
        #expect(VOCAnnotation.imageSet(stems: ["a", "b c"]) == "a\nb c\n")
    }
}
