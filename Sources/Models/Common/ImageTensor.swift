import Torch
import Vision

extension Image {
    /// [1, 3, H, W] float32 in [0, 1] on `device` (grey is repeated, alpha dropped).
    public func tensor(device: Device = .cpu) throws -> Tensor {
        let rgb = self.rgb()
        let hwc = try Tensor(rgb.pixels, shape: [1, rgb.height, rgb.width, 3], device: device)
        return try (hwc.permute([0, 3, 1, 2]).to(.float32) / 255).contiguous()
    }
}

/// ImageNet evaluation preprocessing: shorter side to 256 (bilinear), centre crop 224.
public func centerCrop224(_ x: Tensor) throws -> Tensor {
    let h = x.size(2), w = x.size(3)
    let scale = 256 / Double(Swift.min(h, w))
    let (nh, nw) = h <= w ? (256, Int(Double(w) * scale)) : (Int(Double(h) * scale), 256)
    let resized = try F.interpolate(x, size: (nh, nw))
    let top = Int(((Double(nh) - 224) / 2).rounded()), left = Int(((Double(nw) - 224) / 2).rounded())
    return try resized.slice(dim: 2, start: top, end: top + 224).slice(dim: 3, start: left, end: left + 224)
}
