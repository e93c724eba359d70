import Foundation
import Hummingbird
import Store

/// A lease as the API shows it: whose, what for, until when, and how long a renewal extends it.
struct LeaseJSON: ResponseCodable {
    var imageId: Int64
    var kind: LeaseKind
    var holder: String
    var expiresAt: Date
    /// The server's lease duration: the UI renews every third of it while the image is open.
    var leaseSeconds: Double

    init(_ lease: ImageLease, duration: TimeInterval) {
        imageId = lease.imageId
        kind = lease.kind
        holder = lease.holderName
        expiresAt = lease.expiresAt
        leaseSeconds = duration
    }
}

/// The answer to `next` and `review/next`: the image, leased to the caller, or null when none is left.
struct LeasedNextJSON: ResponseCodable {
    var image: ImageJSON?
    var remaining: Int
    var lease: LeaseJSON?
    /// Set when a reviewer returned this image to the caller: what to fix.
    var returned: ReviewNote?

    init(_ leased: LeasedImage?, remaining: Int, duration: TimeInterval) {
        image = leased.map { ImageJSON($0.image) }
        self.remaining = remaining
        lease = leased.map { LeaseJSON($0.lease, duration: duration) }
        returned = leased?.returned
    }

    enum CodingKeys: CodingKey { case image, remaining, lease, returned }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(image, forKey: .image)  // null, not absent, when none is left
        try container.encode(remaining, forKey: .remaining)
        try container.encodeIfPresent(lease, forKey: .lease)
        try container.encodeIfPresent(returned, forKey: .returned)
    }
}

/// The body of `POST .../review`.
struct ReviewRequest: Decodable {
    var decision: ReviewDecision
    /// Required (non-blank) to return an image; optional when accepting.
    var comment: String?
    /// The annotation version reviewed; a decision about an older one is 409.
    var version: Int?
}

/// One timed version for `GET .../annotation-times`.
struct AnnotationTimeJSON: Codable {
    var imageId: Int64
    var version: Int
    var annotator: String
    var annotatorId: String?
    var seconds: Double?
    var labelledIndex: Int
    var source: AnnotationSource
    var at: Date

    init(_ time: AnnotationTime) {
        imageId = time.imageId
        version = time.version
        annotator = time.annotator
        annotatorId = time.annotatorId
        seconds = time.seconds
        labelledIndex = time.labelledIndex
        source = time.source
        at = time.at
    }
}

struct AnnotationTimesJSON: ResponseCodable {
    var times: [AnnotationTimeJSON]
}
