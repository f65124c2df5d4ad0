#if canImport(Glibc)
import Glibc
#endif

/// The local HS256 secret of customer tokens (`./data/user-token.key`): `serve` makes it on
/// first start and reuses it after, so tokens from `orderhub token` keep working across
/// restarts. Created with mode 0600, since whoever reads it can sign in as anyone.
enum UserTokenKeyFile {
    static let name = "user-token.key"

    static func path(dataDir: String) -> String {
        dataDir + "/" + name
    }

    /// The secret in `path`, creating the file with a fresh random secret if there is none.
    static func loadOrCreate(_ path: String) throws -> (secret: String, created: Bool) {
        try TextFile.createParent(of: path)
        let secret = ServiceSecret.random()
        // O_EXCL: two processes starting at once cannot both write; the loser reads the winner's.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            guard errno == EEXIST else { throw SettingError("cannot create \(path): \(String(cString: strerror(errno)))") }
            return (try UserTokenOptions.readSecret(path), false)
        }
        defer { close(descriptor) }
        let line = Array((secret + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw SettingError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return (secret, true)
    }
}
