import Foundation

/// Seconds per image a project's annotators actually spent, against images labelled: what the server
/// measured (`GET /api/projects/{id}/annotation-times`, or a COCO export's image entries), read so the
/// simulator can play a project on it instead of on assumed manual and live times.
///
/// Accepted shapes (other keys are ignored):
/// ```json
/// { "times": [ { "imageId": 7, "labelledIndex": 0, "seconds": 41.5, "annotator": "ana" }, ... ] }
/// { "images": [ { "id": 7, "labelled_index": 0, "annotation_seconds": 41.5, "annotator": "ana" }, ... ] }
/// ```
/// Versions of one image (edits, a reviewer's fixes) add up to that image's seconds, placed at the
/// index it was first labelled at; entries without seconds are left out.
public struct ProjectTimes: Sendable, Codable, Equatable {
    /// One image: how many were labelled before it and the active seconds it took.
    public struct Point: Sendable, Codable, Equatable {
        public var imagesLabelled: Int
        public var seconds: Double
        public init(imagesLabelled: Int, seconds: Double) {
            self.imagesLabelled = imagesLabelled
            self.seconds = seconds
        }
    }

    /// Per image, in labelling order.
    public var points: [Point]

    public init(points: [Point]) throws(SimulationError) {
        guard !points.isEmpty else { throw .invalidProjectTimes("no image has measured seconds") }
        for point in points {
            guard point.imagesLabelled >= 0 else { throw .invalidProjectTimes("negative labelled index \(point.imagesLabelled)") }
            guard point.seconds.isFinite, point.seconds >= 0, point.seconds <= 86_400 * 100 else {
                throw .invalidProjectTimes("seconds \(point.seconds) at \(point.imagesLabelled) images is not in 0...8640000")
            }
        }
        self.points = points.sorted { $0.imagesLabelled < $1.imagesLabelled }
    }

    private struct APIFile: Decodable {
        struct Entry: Decodable {
            var imageId: Int64
            var labelledIndex: Int
            var seconds: Double?
        }
        var times: [Entry]
    }

    private struct COCOFile: Decodable {
        struct Image: Decodable {
            var labelledIndex: Int?
            var annotationSeconds: Double?
            enum CodingKeys: String, CodingKey {
                case labelledIndex = "labelled_index"
                case annotationSeconds = "annotation_seconds"
            }
        }
        var images: [Image]
    }

    /// Reads either shape; a file with neither, or with no measured seconds, throws.
    public static func decode(_ data: Data) throws(SimulationError) -> ProjectTimes {
        let decoder = JSONDecoder()
        if let api = try? decoder.decode(APIFile.self, from: data) {
            var byImage: [Int64: Point] = [:]
            for entry in api.times {
                guard let seconds = entry.seconds else { continue }
                if var point = byImage[entry.imageId] {
                    point.seconds += seconds
                    point.imagesLabelled = min(point.imagesLabelled, entry.labelledIndex)
                    byImage[entry.imageId] = point
                } else {
                    byImage[entry.imageId] = Point(imagesLabelled: entry.labelledIndex, seconds: seconds)
                }
            }
            return try ProjectTimes(points: Array(byImage.values))
        }
        do {
            let coco = try decoder.decode(COCOFile.self, from: data)
            return try ProjectTimes(
                points: coco.images.compactMap { image in
                    guard let index = image.labelledIndex, let seconds = image.annotationSeconds else { return nil }
                    return Point(imagesLabelled: index, seconds: seconds)
                })
        } catch let error as SimulationError {
            throw error
        } catch {
            throw .invalidProjectTimes("neither annotation-times JSON ({\"times\": [...]}) nor a COCO export: \(error)")
        }
    }

    public static func load(path: String) throws(SimulationError) -> ProjectTimes {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalidProjectTimes("cannot read \(path)") }
        return try decode(data)
    }

    /// The curve the simulator plays: per-image seconds are noisy, so they are averaged in up to
    /// `bins` runs of consecutive images, each placed at its mean labelled index.
    public func curve(bins: Int = 20) -> MeasuredTimeCurve {
        let size = max(1, (points.count + bins - 1) / max(1, bins))
        var averaged: [Point] = []
        var start = 0
        while start < points.count {
            let run = points[start..<min(points.count, start + size)]
            let index = run.map { Double($0.imagesLabelled) }.reduce(0, +) / Double(run.count)
            let seconds = run.map(\.seconds).reduce(0, +) / Double(run.count)
            averaged.append(Point(imagesLabelled: Int(index.rounded()), seconds: seconds))
            start += size
        }
        return MeasuredTimeCurve(points: averaged, images: points.count)
    }
}

/// Measured seconds per image against images labelled: linear between points, the first point's
/// seconds before it, the last point's after it (a project cannot say how much faster it would get).
public struct MeasuredTimeCurve: Sendable, Codable, Equatable {
    public var points: [ProjectTimes.Point]
    /// How many timed images the curve was averaged from.
    public var images: Int

    public func seconds(afterLabelling k: Int) -> Double {
        interpolated(at: k, through: points.map { (x: $0.imagesLabelled, y: $0.seconds) })
    }
}
