import Foundation

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype/shape/byte ranges, then the raw little-endian data.
public enum Safetensors {
    static let codes: [DType: String] = [
        .float32: "F32", .float64: "F64", .float16: "F16", .bfloat16: "BF16",
        .int64: "I64", .int32: "I32", .uint8: "U8", .bool: "BOOL",
    ]

    public static func read(_ url: URL, device: Device = .cpu) throws -> [String: Tensor] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw TorchError("cannot read safetensors '\(url.path)': \(error.localizedDescription)")
        }
        return try decode(data, name: url.lastPathComponent, device: device)
    }

    public static func decode(_ data: Data, name: String = "<memory>", device: Device = .cpu) throws -> [String: Tensor] {
        func fail(_ why: String) -> TorchError { TorchError("invalid safetensors '\(name)': \(why)") }
        guard data.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header length \(headerLength) exceeds the file") }
        let start = data.startIndex + 8, dataStart = start + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data[start..<dataStart]) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var out: [String: Tensor] = [:]
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any], let code = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("entry '\(key)' lacks dtype/shape/data_offsets") }
            guard let dtype = codes.first(where: { $0.value == code })?.key else { throw fail("'\(key)' has unsupported dtype \(code)") }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], dataStart + offsets[1] <= data.endIndex else {
                throw fail("'\(key)' byte range \(offsets) is outside the file")
            }
            // Shapes come from the file: a negative or overflowing one must be an error, not a trap.
            let elements = shape.reduce((value: 1, overflow: false)) { acc, d in
                let m = acc.value.multipliedReportingOverflow(by: d)
                return (m.partialValue, acc.overflow || m.overflow || d < 0)
            }
            guard !elements.overflow, elements.value <= Int.max / 8 else { throw fail("'\(key)' has an impossible shape \(shape)") }
            let bytes = data[(dataStart + offsets[0])..<(dataStart + offsets[1])]
            out[key] = try bytes.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: dtype, device: device) }
        }
        return out
    }

    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:]) throws {
        try encode(tensors, metadata: metadata).write(to: url, options: .atomic)
    }

    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var blobs = Data()
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            guard let code = codes[t.dtype] else { throw TorchError("safetensors: unsupported dtype \(t.dtype)") }
            let bytes = try t.bytes()
            header[name] = ["dtype": code, "shape": t.shape, "data_offsets": [blobs.count, blobs.count + bytes.count]]
            blobs.append(contentsOf: bytes)
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))  // keep data 8-byte aligned
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(blobs)
        return out
    }
}

extension Module {
    /// Writes parameters and buffers as safetensors.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), to: url, metadata: metadata)
    }

    /// Loads parameters and buffers from a safetensors file.
    @discardableResult
    public func load(contentsOf url: URL, strict: Bool = true) throws -> (missing: [String], unexpected: [String]) {
        try load(Safetensors.read(url), strict: strict)
    }
}
