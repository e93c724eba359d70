import CArgon2

/// Account passwords as argon2id hashes in the library's encoded form (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`),
/// which carries its own salt and costs, so the costs can rise later without touching stored hashes.
///
/// The costs are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): about 30-60 ms on this CPU,
/// paid once per sign-in, which the sign-in rate limit bounds.
public enum PasswordHash {
    static let passes: UInt32 = 2
    static let memoryKiB: UInt32 = 19 * 1024
    static let lanes: UInt32 = 1
    static let saltBytes = 16
    static let hashBytes = 32
    /// Longer passwords are refused before hashing: argon2 would accept them, but nobody types them.
    /// Counted in code points, as JSON Schema's minLength and maxLength count them; 256 of them are at
    /// most 1024 bytes of UTF-8.
    public static let maxPasswordCharacters = 256
    static let maxPasswordBytes = 1024
    public static let minPasswordCharacters = 8

    /// Why `password` cannot be an account's password, or nil.
    static func problem(with password: String) -> String? {
        let length = password.unicodeScalars.count
        if length < minPasswordCharacters { return "shorter than \(minPasswordCharacters) characters" }
        if length > maxPasswordCharacters { return "longer than \(maxPasswordCharacters) characters" }
        return nil
    }

    /// A salted argon2id hash of `password` (a fresh random salt each call).
    static func make(_ password: String) throws(StoreError) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let bytes = Array(password.utf8)
        let length = argon2_encodedlen(passes, memoryKiB, lanes, UInt32(saltBytes), UInt32(hashBytes), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let result = argon2id_hash_encoded(
            passes, memoryKiB, lanes, bytes, bytes.count, salt, salt.count, hashBytes, &encoded, length)
        guard result == ARGON2_OK.rawValue else {
            throw .passwordHashFailed(String(cString: argon2_error_message(result)))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `encoded`; the library compares the hashes in constant time.
    static func verify(_ password: String, against encoded: String) -> Bool {
        let bytes = Array(password.utf8)
        guard bytes.count <= maxPasswordBytes else { return false }
        return argon2id_verify(encoded, bytes, bytes.count) == ARGON2_OK.rawValue
    }

    /// Verified against when the name matches no account, so an unknown name costs as long as a wrong
    /// password and the timing does not tell which names exist.
    static let decoy: String = (try? make("decoy password, never an account's")) ?? ""
}
