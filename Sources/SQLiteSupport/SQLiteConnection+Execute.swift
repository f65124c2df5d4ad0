import SQLiteNIO
import StorageSupport
import Synchronization

extension SQLiteConnection {
    /// Runs a statement whose rows, if any, are not needed. SQLite's failures come back as
    /// `StorageError`s where one fits (`StorageError.init(translating:)`).
    public func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await StorageError.translatingSQLite {
            try await query(sql, binds) { _ in }
        }
    }

    /// Runs a statement and returns its rows; failures as `execute`'s.
    ///
    /// Collected on the connection's thread: sqlite-nio's row-returning `query` hands every
    /// row to the connection's event loop before the caller resumes, a thread hop per row.
    public func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await StorageError.translatingSQLite {
            let collected = RowCollector()
            try await query(sql, binds) { row in collected.rows.withLock { $0.append(row) } }
            return collected.rows.withLock { $0 }
        }
    }
}

/// The rows of one statement, appended on the connection's thread, read after it finished.
private final class RowCollector: Sendable {
    let rows = Mutex<[SQLiteRow]>([])
}

extension StorageError {
    /// SQLite's result codes as storage errors: nil for codes that fit none (they stay
    /// `SQLiteError`s and count as internal errors).
    public init?(translating error: SQLiteError) {
        let detail = error.message
        switch error.reason {
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .lockedBySharedCache, .lockedVirtualTable:
            self = .busy(detail)
        case .full:
            self = .diskFull(detail)
        case .corrupt, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable, .notADatabase,
            .ioErrorBadDataChecksum, .ioErrorCorruptedFilesystem:
            self = .corrupt(detail)
        case .constraint, .constraintCheckFailed, .constraintCommitHookFailed, .constraintForeignKeyFailed,
            .constraintUserFunctionFailed, .constraintNotNullFailed, .constraintPrimaryKeyFailed,
            .constraintTriggerFailed, .constraintUniqueFailed, .constraintVirtualTableFailed,
            .constraintUniqueRowIDFailed, .constraintUpdateTriggerDeletedRow, .constraintStrictDataTypeFailed:
            self = .constraint(detail)
        // The file cannot be opened, read or written (a vanished directory, a failing disk).
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenUnfollowedSymlink, .ioError,
            .ioErrorFailedRead, .ioErrorIncompleteRead, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync,
            .ioErrorFailedTruncate, .ioErrorFailedStat, .ioErrorFailedUnlock, .ioErrorFailedReadLock,
            .ioErrorFailedDelete, .ioErrorFailedAccess, .ioErrorFailedLockCheck, .ioErrorFailedAdvisoryLock,
            .ioErrorFailedClose, .ioErrorFailedSharedMemOpen, .ioErrorFailedSharedMemSize, .ioErrorFailedSharedMemMap,
            .ioErrorFailedDeleteNonexistent, .ioErrorFailedMemoryMap, .ioErrorCantFindTempdir:
            self = .unavailable(detail)
        default:
            return nil
        }
    }

    /// Runs `body`, translating the `SQLiteError`s it throws (`init(translating:)`).
    public static func translatingSQLite<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SQLiteError {
            throw StorageError(translating: error) ?? error
        }
    }
}

/// Builds the `?` lists of multi-row statements.
public enum SQLPlaceholders {
    /// `(?, ?, ?), (?, ?, ?)` for `rows` rows of `columns` values each.
    public static func rows(_ rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `?, ?, ?` for an `IN (…)` list of `count` values.
    public static func list(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
