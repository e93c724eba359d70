/// The `data.yaml` of a YOLO dataset as Ultralytics (and Roboflow's `supervision`) read it: the image
/// folders for training and validation, the class count and the class names by number.
///
/// No `path` key: Ultralytics then takes the folder holding `data.yaml` as the dataset root, so the
/// unpacked export trains wherever it is put; `train` and `val` are both `images` (one split: the
/// project has no held-out set of its own), and labels are found by its `images/` -> `labels/` rule.
public enum YOLODataYAML {
    public static func text(classNames: [String]) -> String {
        var lines = [
            "# YOLO dataset exported by livetrain; paths are relative to this file's folder",
            "train: images",
            "val: images",
            "nc: \(classNames.count)",
            "names:",
        ]
        for (number, name) in classNames.enumerated() { lines.append("  \(number): \(quoted(name))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar: any class name (colons, quotes, `#`, leading spaces) reads back
    /// as itself, where a plain scalar would change meaning or fail to parse.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
