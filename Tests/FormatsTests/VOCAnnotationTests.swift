import Testing

@testable import Formats

@Suite("VOC annotation XML")
struct VOCAnnotationTests {
    @Test("boxes become 1-based inclusive pixel indices under their class names; text is escaped")
    func xml() {
        let xml = VOCAnnotation.xml(
            fileName: "a&b.jpg", width: 100, height: 50,
            objects: [
                DatasetObject(classIndex: 0, x1: 10, y1: 5, x2: 30, y2: 25),
                DatasetObject(classIndex: 3, x1: 0, y1: 0, x2: 1e300, y2: .infinity),
            ],
            classNames: ["<tree>"])
        #expect(xml.contains("<filename>a&amp;b.jpg</filename>"))
        #expect(xml.contains("<size><width>100</width><height>50</height><depth>3</depth></size>"))
        #expect(xml.contains("<name>&lt;tree&gt;</name>"))
        #expect(xml.contains("<bndbox><xmin>11</xmin><ymin>6</ymin><xmax>30</xmax><ymax>25</ymax></bndbox>"))
        // A class without a name is written as its number; numbers no pixel can have do not trap.
        #expect(xml.contains("<name>3</name>"))
        #expect(xml.hasPrefix("<annotation>\n") && xml.hasSuffix("</annotation>\n"))
    }
}
