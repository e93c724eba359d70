import Crypto

/// The stored form of a token secret (the `apiToken.hash` column): SHA-256 of its UTF-8 bytes as 64
/// lower-case hex digits. Databases hold these strings, so the encoding must never change.
enum TokenHash {
    static func hex(_ secret: String) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return text
    }
}
