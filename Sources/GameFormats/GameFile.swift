internal import Foundation
public import NormalFormGames

/// The file formats a game can be written in.
public enum GameFileFormat: String, Sendable, CaseIterable {
    /// Game JSON (``GameJSON``), extension `.json`.
    case json
    /// Gambit `.nfg`, payoff version (``GambitNFG/Body/payoffs``), extension `.nfg`.
    case nfg
    /// Gambit `.nfg`, outcome version (``GambitNFG/Body/outcomes``), extension `.nfg`.
    case nfgOutcomes = "nfg-outcomes"
    /// Gambit `.nfg`, payoff version with strategy counts and plain decimals: the form that both
    /// Gambit and OpenSpiel (`pyspiel.load_nfg_game`) read. Extension `.nfg`.
    case nfgPlain = "nfg-plain"
}

/// Reading and writing game files, choosing the format by extension or content.
public enum GameFile: Sendable {
    /// The format a path's extension names: `.json` → ``GameFileFormat/json``, `.nfg` →
    /// ``GameFileFormat/nfg`` (case-insensitive); `nil` for anything else.
    public static func format(forPath path: String) -> GameFileFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "json": return .json
        case "nfg": return .nfg
        default: return nil
        }
    }

    /// Reads a game from a file.
    ///
    /// A `.json` file is read as game JSON and a `.nfg` file as Gambit; any other file is
    /// recognised by its content (see ``parse(_:file:)``).
    ///
    /// - Parameter path: The file's path; errors name it as given.
    /// - Returns: The game, with exact payoffs.
    /// - Throws: ``GameFormatError`` if the file cannot be read, is not UTF-8 text, or is not a
    ///   valid game.
    /// - Complexity: O(file size + N · |A|).
    public static func read(path: String) throws(GameFormatError) -> NormalFormGame {
        let bytes = try contents(ofFile: path)
        let source = try SourceText(bytes: bytes, file: path)
        switch format(forPath: path) {
        case .json: return try GameJSON.read(source: source)
        case .nfg, .nfgOutcomes, .nfgPlain: return try GambitNFG.read(source: source)
        case nil: return try parse(source: source)
        }
    }

    /// Reads a game from text in either format, recognised by its first non-blank
    /// characters: `{` for game JSON, `NFG` for Gambit.
    ///
    /// - Parameters:
    ///   - text: The text of a game file.
    ///   - file: A file name to show in error messages, if any.
    /// - Throws: ``GameFormatError`` if the format is not recognised or the game is invalid.
    public static func parse(_ text: String, file: String? = nil) throws(GameFormatError) -> NormalFormGame {
        try parse(source: SourceText(text: text, file: file))
    }

    static func parse(source: SourceText) throws(GameFormatError) -> NormalFormGame {
        let bytes = source.bytes
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(bytes[start]) { start += 1 }
        if start < bytes.count, bytes[start] == UInt8(ascii: "{") { return try GameJSON.read(source: source) }
        if bytes[start...].starts(with: Array("NFG".utf8)) { return try GambitNFG.read(source: source) }
        if start == bytes.count { throw source.error(at: start, "the file is empty; expected a game") }
        throw source.error(at: start, "unrecognised game format: expected game JSON (starting with '{') or a "
                           + "Gambit .nfg file (starting with 'NFG')")
    }

    /// The text of a game in a format.
    ///
    /// - Complexity: O(N · |A|).
    public static func text(of game: NormalFormGame, format: GameFileFormat) -> String {
        switch format {
        case .json: return GameJSON.write(game)
        case .nfg: return GambitNFG.write(game, body: .payoffs)
        case .nfgOutcomes: return GambitNFG.write(game, body: .outcomes)
        case .nfgPlain: return GambitNFG.write(game, body: .payoffs, plain: true)
        }
    }

    /// Writes a game to a file, replacing it atomically if it exists.
    ///
    /// - Parameters:
    ///   - game: The game.
    ///   - path: Where to write it.
    ///   - format: The format; `nil` chooses by the path's extension (`.json` or `.nfg`, the
    ///     latter in the payoff version).
    /// - Throws: ``GameFormatError`` if no format is given and the extension names none, or if
    ///   the file cannot be written.
    public static func write(_ game: NormalFormGame, path: String, format: GameFileFormat? = nil)
        throws(GameFormatError)
    {
        guard let format = format ?? self.format(forPath: path) else {
            throw GameFormatError(file: path, message: "cannot tell the format from the file name; "
                                  + "use a .json or .nfg extension or give a format")
        }
        let data = Data(text(of: game, format: format).utf8)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GameFormatError(file: path, message: "cannot write the file: " + reason(error))
        }
    }

    /// The bytes of a file, or an error saying plainly why not.
    static func contents(ofFile path: String) throws(GameFormatError) -> [UInt8] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GameFormatError(file: path, message: "cannot read the file: no such file or directory")
        }
        if isDirectory.boolValue {
            throw GameFormatError(file: path, message: "cannot read the file: it is a directory")
        }
        guard manager.isReadableFile(atPath: path) else {
            throw GameFormatError(file: path, message: "cannot read the file: permission denied")
        }
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            // A pipe, FIFO or device (`<(…)`, /dev/stdin, /dev/null): read what it delivers.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw GameFormatError(file: path, message: "cannot read the file: it cannot be opened for reading")
            }
            defer { try? handle.close() }
            do {
                return [UInt8](try handle.readToEnd() ?? Data())
            } catch {
                throw GameFormatError(file: path, message: "cannot read the file: " + reason(error))
            }
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw GameFormatError(file: path, message: "cannot read the file: " + reason(error))
        }
    }

    /// A short reason for a Foundation error, preferring the underlying POSIX message.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
