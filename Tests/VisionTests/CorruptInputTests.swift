import Foundation
import TestSupport
import Testing
import Vision

/// Uploads are untrusted: every bad input must come back as an ImageError naming the file, never a
/// crash, an exit() from inside libjpeg, or a half-grey image.
@Suite("corrupt and hostile input")
struct CorruptInputTests {
    /// The error decoding `data` throws, or nil when it decodes.
    static func decodeError(_ data: Data, name: String) -> ImageError? {
        do {
            _ = try Image(decoding: data, name: name)
            return nil
        } catch {
            return error
        }
    }

    @Test("a JPEG cut at any byte is an error naming the file")
    func truncatedJPEGEverywhere() throws {
        let jpeg = [UInt8](try TestImages.pattern(width: 24, height: 16, channels: 3).jpegData(quality: 80))
        for cut in 0..<jpeg.count {
            let error = Self.decodeError(Data(jpeg.prefix(cut)), name: "cut-\(cut).jpg")
            #expect(error != nil, "cut at \(cut) of \(jpeg.count) decoded")
            #expect(error?.description.contains("'cut-\(cut).jpg'") == true, "\(String(describing: error))")
        }
    }

    @Test("a truncated JPEG says so in libjpeg's words")
    func truncatedJPEGMessage() throws {
        let jpeg = try TestImages.smooth(width: 64, height: 64).jpegData()
        let error = try #require(Self.decodeError(jpeg.prefix(jpeg.count / 2), name: "x.jpg"))
        #expect(error == .corrupt(name: "x.jpg", format: .jpeg, reason: "Premature end of JPEG file"))
        #expect(error.description == "corrupt or truncated JPEG 'x.jpg': Premature end of JPEG file")
        // Only the end-of-image marker missing: every scanline is there, still an error.
        #expect(Self.decodeError(jpeg.dropLast(2), name: "no-eoi.jpg") != nil)
    }

    @Test("a PNG cut at any byte is an error naming the file")
    func truncatedPNGEverywhere() throws {
        let png = [UInt8](try TestImages.pattern(width: 24, height: 16, channels: 4).pngData())
        for cut in 0..<png.count {
            let error = Self.decodeError(Data(png.prefix(cut)), name: "cut-\(cut).png")
            #expect(error != nil, "cut at \(cut) of \(png.count) decoded")
            #expect(error?.description.contains("'cut-\(cut).png'") == true, "\(String(describing: error))")
        }
        let half = try #require(Self.decodeError(Data(png.prefix(png.count / 2)), name: "half.png"))
        guard case .corrupt(_, .png, let reason) = half else {
            Issue.record("expected corrupt PNG, got \(half)")
            return
        }
        #expect(reason.contains("truncated"))
    }

    @Test("flipped bytes in a JPEG or PNG decode or throw, never crash")
    func bitFlips() throws {
        let source = TestImages.pattern(width: 32, height: 32, channels: 3)
        var generator = SeededGenerator(state: 42)
        for file in [[UInt8](try source.jpegData()), [UInt8](try source.pngData())] {
            for _ in 0..<300 {
                var bytes = file
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[at] ^= UInt8.random(in: 1...255, using: &generator)
                }
                if let error = Self.decodeError(Data(bytes), name: "flipped") {
                    #expect(error.description.contains("'flipped'"))
                }
            }
        }
    }

    @Test("random garbage after a JPEG or PNG signature is a corrupt-file error")
    func garbageAfterSignature() {
        var generator = SeededGenerator(state: 1)
        let signatures: [(ImageFormat, [UInt8])] = [
            (.jpeg, [0xFF, 0xD8, 0xFF]), (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ]
        for (format, signature) in signatures {
            for length in [0, 1, 10, 100, 5000] {
                let data = Data(signature + generator.bytes(length))
                let error = Self.decodeError(data, name: "noise")
                guard case .corrupt(let name, let reported, _) = error else {
                    Issue.record("\(format) + \(length) random bytes: \(String(describing: error))")
                    continue
                }
                #expect(name == "noise" && reported == format)
            }
        }
    }

    @Test("random garbage with no signature is an unsupported format")
    func garbage() {
        var generator = SeededGenerator(state: 2)
        let data = Data([0x00, 0x01] + generator.bytes(1000))
        let message = Self.decodeError(data, name: "noise.bin")?.description ?? "decoded"
        #expect(message == "unsupported format 'noise.bin': neither JPEG nor PNG")
    }

    @Test("empty data and a zero-byte file are emptyFile errors naming the file")
    func empty() throws {
        #expect(Self.decodeError(Data(), name: "nothing.png") == .emptyFile(name: "nothing.png"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data(), as: "zero.jpg")
        #expect(throws: ImageError.emptyFile(name: "zero.jpg")) { try Image(contentsOf: file) }
        #expect(ImageError.emptyFile(name: "zero.jpg").description == "empty file 'zero.jpg' (0 bytes)")
    }

    @Test("a text file named .jpg is reported as text, with its name and none of its contents")
    func textNamedJPEG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data("hello, this is not a picture\n".utf8), as: "notes.jpg")
        #expect {
            try Image(contentsOf: file)
        } throws: { error in
            (error as? ImageError)?.description
                == "unsupported format 'notes.jpg': text, not an image"
        }
    }

    @Test(
        "other image formats are named in the error",
        arguments: [
            ("GIF89a" + String(repeating: "\u{0}", count: 10), "GIF"), ("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ", "WebP"),
        ])
    func otherFormats(header: String, format: String) {
        let error = Self.decodeError(Data(header.utf8), name: "picture")
        let reason = "\(format) is not supported; convert it to PNG or JPEG"
        #expect(error == .unsupportedFormat(name: "picture", reason: reason))
    }

    @Test("a missing file and a directory are unreadable errors naming them")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.url.appendingPathComponent("gone.png")
        #expect { try Image(contentsOf: missing) } throws: { error in
            guard case .unreadable(let name, _) = error as? ImageError else { return false }
            return name == "gone.png"
        }
        let folder = directory.url.appendingPathComponent("folder.jpg")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(throws: ImageError.unreadable(name: "folder.jpg", reason: "is a directory")) {
            try Image(contentsOf: folder)
        }
    }
}
