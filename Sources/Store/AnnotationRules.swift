import Formats
import Vision

/// What makes labels a valid annotation of an image; checked before anything is stored.
public enum AnnotationRules {
    /// Boxes may reach this many pixels past an edge and are clipped to it: a drag that ends just
    /// outside the canvas is what a person meant as "to the edge". Further out is a mistake or a
    /// coordinate bug (wrong scale, wrong image) and is refused.
    public static let clipTolerance = 2.0
    /// More objects than this in one image is a runaway client, not a label.
    public static let maxObjects = 10_000

    /// The objects (boxes clipped to the image) and label map to store, or the first reason they
    /// cannot be: detection takes boxes, instance boxes with masks, semantic a label map alone.
    public static func validated(
        objects: [DatasetObject], labels: LabelRuns?, task: VisionTask, width: Int, height: Int, classCount: Int
    ) throws(StoreError) -> (objects: [DatasetObject], labels: LabelRuns?) {
        switch task {
        case .semantic:
            guard objects.isEmpty else { throw .wrongTask(task: task, reason: "it is a label map; objects must be empty") }
            guard let labels else { throw .wrongTask(task: task, reason: "a label map ('labels') is required") }
            try validate(labels, width: width, height: height, classCount: classCount)
            return ([], labels)
        case .detection, .instance:
            guard labels == nil else { throw .wrongTask(task: task, reason: "label maps belong to semantic projects") }
            if task == .detection, objects.contains(where: { $0.mask != nil }) {
                throw .wrongTask(task: task, reason: "masks belong to instance projects")
            }
            return (try validated(objects, width: width, height: height, classCount: classCount), nil)
        }
    }

    /// The boxes clipped to the image, their masks checked, or the first reason they cannot be stored.
    public static func validated(_ objects: [DatasetObject], width: Int, height: Int, classCount: Int) throws(StoreError)
        -> [DatasetObject]
    {
        if objects.count > maxObjects { throw .tooManyObjects(count: objects.count, limit: maxObjects) }
        let w = Double(width)
        let h = Double(height)
        var clipped: [DatasetObject] = []
        clipped.reserveCapacity(objects.count)
        for (i, object) in objects.enumerated() {
            guard (0..<classCount).contains(object.classIndex) else {
                throw .unknownClass(object: i, classIndex: object.classIndex, classCount: classCount)
            }
            let coordinates = [object.x1, object.y1, object.x2, object.y2]
            guard coordinates.allSatisfy(\.isFinite) else {
                throw .invalidBox(object: i, reason: "coordinates must be finite numbers")
            }
            guard object.x1 < object.x2, object.y1 < object.y2 else {
                throw .invalidBox(
                    object: i,
                    reason: "needs x1 < x2 and y1 < y2, got (\(object.x1), \(object.y1), \(object.x2), \(object.y2))")
            }
            guard object.x1 >= -clipTolerance, object.y1 >= -clipTolerance,
                object.x2 <= w + clipTolerance, object.y2 <= h + clipTolerance
            else {
                throw .boxOutOfRange(
                    object: i,
                    reason: "(\(object.x1), \(object.y1), \(object.x2), \(object.y2)) is outside the \(width)x\(height) image"
                        + " by more than \(clipTolerance) px")
            }
            var box = object
            box.x1 = max(0, box.x1)
            box.y1 = max(0, box.y1)
            box.x2 = min(w, box.x2)
            box.y2 = min(h, box.y2)
            guard box.x1 < box.x2, box.y1 < box.y2 else {
                throw .invalidBox(object: i, reason: "no area left inside the image after clipping to its edges")
            }
            if let mask = box.mask { try validate(mask, object: i, width: width, height: height) }
            clipped.append(box)
        }
        return clipped
    }

    /// COCORLE checks its runs when built or decoded, but its fields stay mutable: the store checks
    /// again what it is about to keep, and that the mask is its image's and not empty.
    static func validate(_ mask: COCORLE, object: Int, width: Int, height: Int) throws(StoreError) {
        guard mask.width == width, mask.height == height else {
            throw .invalidMask(object: object, reason: "\(mask.width)x\(mask.height), the image is \(width)x\(height)")
        }
        var covered = 0
        var foreground = 0
        for (i, run) in mask.counts.enumerated() {
            guard run >= 0, run <= width * height - covered else {
                throw .invalidMask(object: object, reason: "runs must be non-negative and cover \(width * height) pixels")
            }
            covered += run
            if i % 2 == 1 { foreground += run }
        }
        guard covered == width * height else {
            throw .invalidMask(object: object, reason: "runs cover \(covered) of \(width * height) pixels")
        }
        guard foreground > 0 else { throw .invalidMask(object: object, reason: "no pixel is set") }
    }

    static func validate(_ labels: LabelRuns, width: Int, height: Int, classCount: Int) throws(StoreError) {
        guard labels.width == width, labels.height == height else {
            throw .invalidLabelMap(reason: "\(labels.width)x\(labels.height), the image is \(width)x\(height)")
        }
        var covered = 0
        for run in labels.runs {
            guard run.count == 2 else { throw .invalidLabelMap(reason: "a run is [class index, length], got \(run)") }
            guard (0..<classCount).contains(run[0]) else {
                throw .invalidLabelMap(reason: "unknown class index \(run[0]) (the project has classes 0..<\(classCount))")
            }
            guard run[1] >= 0, run[1] <= width * height - covered else {
                throw .invalidLabelMap(reason: "run lengths must be non-negative and cover \(width * height) pixels")
            }
            covered += run[1]
        }
        guard covered == width * height else {
            throw .invalidLabelMap(reason: "runs cover \(covered) of \(width * height) pixels")
        }
    }
}
