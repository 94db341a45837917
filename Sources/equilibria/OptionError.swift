import ArgumentParser
import Foundation

/// Refuses an option value: prints `Error: message` as one line on standard error and returns
/// the exit code for bad options, 64 (EX_USAGE), to throw. Unlike argument-parser's
/// `ValidationError`, no usage text follows, so the message stays one line.
func optionError(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
    return ExitCode.validationFailure
}
