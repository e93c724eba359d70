import Foundation

/// Decoded images by file, the least recently used dropped first once their pixels pass
/// `capacityBytes`. Training keeps its samples on disk and decodes them per batch: memory stays bounded
/// whatever the project's size, and the recent samples (which the sampler favours) skip the decoder.
public final class ImageCache: @unchecked Sendable {
    public let capacityBytes: Int
    private let lock = NSLock()
    private var entries: [URL: (image: Image, lastUse: UInt64)] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0

    public init(capacityBytes: Int) { self.capacityBytes = max(0, capacityBytes) }

    /// The decoded (EXIF-upright) image at `url`, from the cache or the file.
    public func image(at url: URL, maxPixels: Int = Image.defaultMaxPixels) throws(ImageError) -> Image {
        if let hit = lock.withLock({ () -> Image? in
            clock += 1
            entries[url]?.lastUse = clock
            return entries[url]?.image
        }) {
            return hit
        }
        // Decoded outside the lock: other readers are not held up by one slow file.
        let image = try Image(contentsOf: url, maxPixels: maxPixels)
        lock.withLock { insert(image, for: url) }
        return image
    }

    /// Bytes of pixels held now.
    public var heldBytes: Int { lock.withLock { bytes } }

    private func insert(_ image: Image, for url: URL) {
        let size = image.pixels.count
        guard size <= capacityBytes, entries[url] == nil else { return }
        while bytes + size > capacityBytes, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            bytes -= oldest.value.image.pixels.count
            entries[oldest.key] = nil
        }
        clock += 1
        entries[url] = (image, clock)
        bytes += size
    }
}
