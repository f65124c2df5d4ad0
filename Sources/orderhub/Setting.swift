#if canImport(Glibc)
import Glibc
#endif

/// Resolves an option: the command-line value, else the environment variable, else the
/// default. Invalid values stop the program with a message naming the flag and the variable.
enum Setting {
    static func environment(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    static func string(_ flag: String?, env: String, default fallback: String) -> String {
        flag ?? environment(env) ?? fallback
    }

    static func optionalString(_ flag: String?, env: String) -> String? {
        flag ?? environment(env)
    }

    static func double(_ flag: Double?, env: String, name: String, default fallback: Double) throws -> Double {
        if let flag { return flag }
        guard let text = environment(env) else { return fallback }
        guard let value = Double(text) else { throw SettingError("\(env)=\(text) is not a number (--\(name))") }
        return value
    }

    static func optionalUInt64(_ flag: UInt64?, env: String, name: String) throws -> UInt64? {
        if let flag { return flag }
        guard let text = environment(env) else { return nil }
        guard let value = UInt64(text) else { throw SettingError("\(env)=\(text) is not a whole number (--\(name))") }
        return value
    }

    /// A whole number greater than zero.
    static func positiveInt(_ flag: Int?, env: String, name: String, default fallback: Int) throws -> Int {
        let value = try int(flag, env: env, name: name, default: fallback)
        guard value > 0 else { throw SettingError("--\(name) must be greater than zero") }
        return value
    }

    /// A whole number, zero or more.
    static func nonNegativeInt(_ flag: Int?, env: String, name: String, default fallback: Int) throws -> Int {
        let value = try int(flag, env: env, name: name, default: fallback)
        guard value >= 0 else { throw SettingError("--\(name) must not be negative") }
        return value
    }

    /// The flag, else the environment variable, else the default.
    private static func int(_ flag: Int?, env: String, name: String, default fallback: Int) throws -> Int {
        if let flag { return flag }
        guard let text = environment(env) else { return fallback }
        guard let parsed = Int(text) else { throw SettingError("\(env)=\(text) is not a whole number (--\(name))") }
        return parsed
    }

    /// Seconds as a `Duration`; must be positive.
    static func seconds(_ flag: Double?, env: String, name: String, default fallback: Double) throws -> Duration {
        let value = try double(flag, env: env, name: name, default: fallback)
        guard value > 0, value.isFinite else { throw SettingError("--\(name) must be a positive number of seconds") }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}

/// A bad option value.
struct SettingError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
