import Foundation
import Vision

extension COCODataset {
    /// Reads a COCO instance-segmentation file: like `init(contentsOf:)`, with each object's RLE mask
    /// (`segmentation` as {size, counts-string} or polygons) decoded.
    public static func instances(contentsOf json: URL) throws -> COCODataset {
        var set = try COCODataset(contentsOf: json)
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
        let annotations = (raw["annotations"] as? [[String: Any]] ?? []).filter { ($0["iscrowd"] as? Int ?? 0) == 0 }
        var masks: [Int: [COCORLE]] = [:]
        let sizes = Dictionary(uniqueKeysWithValues: set.entries.map { ($0.id, ($0.width, $0.height)) })
        for a in annotations {
            guard let image = a["image_id"] as? Int, let (w, h) = sizes[image] else { continue }
            let rle: COCORLE
            if let seg = a["segmentation"] as? [String: Any], let counts = seg["counts"] as? String {
                rle = try COCORLE(string: counts, width: w, height: h)
            } else if let seg = a["segmentation"] as? [String: Any], let counts = seg["counts"] as? [Int] {
                rle = try COCORLE(width: w, height: h, counts: counts)
            } else if let polygons = a["segmentation"] as? [[Double]] {
                rle = COCORLE(try PolygonRaster.fill(polygons, width: w, height: h))
            } else {
                throw DatasetError("'\(json.lastPathComponent)': annotation on image \(image) has no usable segmentation")
            }
            masks[image, default: []].append(rle)
        }
        for i in set.entries.indices {
            let m = masks[set.entries[i].id] ?? []
            guard m.count == set.entries[i].annotation.objects.count else {
                throw DatasetError("'\(json.lastPathComponent)': image \(set.entries[i].id) has \(m.count) masks for \(set.entries[i].annotation.objects.count) objects")
            }
            for k in m.indices { set.entries[i].annotation.objects[k].mask = m[k] }
        }
        return set
    }
}
