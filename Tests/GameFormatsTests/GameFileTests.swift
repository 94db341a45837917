import Foundation
import GameFormats
import NormalFormGames
import Testing

@Suite("GameFile")
struct GameFileTests {
    @Test func formatFromExtension() {
        #expect(GameFile.format(forPath: "a/b/game.json") == .json)
        #expect(GameFile.format(forPath: "GAME.JSON") == .json)
        #expect(GameFile.format(forPath: "x.nfg") == .nfg)
        #expect(GameFile.format(forPath: "x.txt") == nil)
        #expect(GameFile.format(forPath: "nfg") == nil)
    }

    @Test func readsByContentWhenTheExtensionSaysNothing() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["chicken.json", "chicken.nfg"] {
            let copy = directory.appendingPathComponent(name + ".txt").path
            try Support.text(name).write(toFile: copy, atomically: true, encoding: .utf8)
            let game = try GameFile.read(path: copy)
            #expect(game == (try GameFile.read(path: Support.path(name))))
        }
        // Leading blank lines before "NFG" or "{" are fine.
        #expect(try GameFile.parse("\n\n  NFG 1 R \"\" { \"a\" } { 1 }\n\n5\n").exactPayoffs == [5])
        #expect(try GameFile.parse("\n {\"payoffs\": [[5]]}").exactPayoffs == [5])
    }

    @Test func unrecognisedContent() throws {
        let error = Support.formatError { () throws(GameFormatError) in try GameFile.parse("\n  hello") }
        #expect(error?.description == "2:3: unrecognised game format: expected game JSON (starting with '{') or a "
                + "Gambit .nfg file (starting with 'NFG')")
        let empty = Support.formatError { () throws(GameFormatError) in try GameFile.parse("  \n") }
        #expect(empty?.message == "the file is empty; expected a game")
    }

    @Test func extensionWinsOverContent() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wrong.json").path
        try Support.text("chicken.nfg").write(toFile: path, atomically: true, encoding: .utf8)
        let error = Support.formatError { () throws(GameFormatError) in try GameFile.read(path: path) }
        #expect(error?.file == path)
        #expect(error?.line == 1)
        #expect(error?.column == 1)
        #expect(error?.message == "expected a JSON value, found 'NFG'")
    }

    @Test func missingFile() throws {
        let error = Support.formatError { () throws(GameFormatError) in
            try GameFile.read(path: "/nonexistent/dir/game.json")
        }
        #expect(error?.description == "/nonexistent/dir/game.json: cannot read the file: no such file or directory")
        #expect(error?.line == nil)
    }

    @Test func directoryIsNotAGame() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = Support.formatError { () throws(GameFormatError) in try GameFile.read(path: directory.path) }
        #expect(error?.description == directory.path + ": cannot read the file: it is a directory")
    }

    @Test func invalidUTF8IsReportedWithItsPosition() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.json").path
        var bytes = Array("{\"payoffs\": [[1]],\n \"title\": \"é".utf8)
        bytes.append(0xFF)
        bytes += Array("\"}".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = Support.formatError { () throws(GameFormatError) in try GameFile.read(path: path) }
        #expect(error?.line == 2)
        #expect(error?.column == 13)
        #expect(error?.message.contains("invalid UTF-8") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func byteOrderMarkInAFileIsSkipped() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bom.nfg").path
        try Data([0xEF, 0xBB, 0xBF] + Array("NFG 1 R \"\" { \"a\" } { 2 }\n\n1 2\n".utf8))
            .write(to: URL(fileURLWithPath: path))
        #expect(try GameFile.read(path: path).exactPayoffs == [1, 2])
    }

    @Test(arguments: GameFileFormat.allCases)
    func writeThenRead(format: GameFileFormat) throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let game = try GameFile.read(path: Support.path("three-player.json"))
        let path = directory.appendingPathComponent("out." + (format == .json ? "json" : "nfg")).path
        try GameFile.write(game, path: path, format: format)
        var expected = game
        if format == .nfgPlain { expected.actionNames = nil }  // the plain form writes counts, not labels
        #expect(try GameFile.read(path: path) == expected)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == GameFile.text(of: game, format: format))
    }

    @Test func writeChoosesTheFormatByExtension() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let game = try GameFile.read(path: Support.path("gibson.json"))
        let json = directory.appendingPathComponent("g.json").path
        let nfg = directory.appendingPathComponent("g.nfg").path
        try GameFile.write(game, path: json)
        try GameFile.write(game, path: nfg)
        #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{"))
        #expect(try String(contentsOfFile: nfg, encoding: .utf8).hasPrefix("NFG 1 R"))
        #expect(try GameFile.read(path: json) == game)
        #expect(try GameFile.read(path: nfg) == game)
    }

    @Test func writeErrors() throws {
        let game = try GameFile.read(path: Support.path("gibson.json"))
        #expect(throws: GameFormatError(file: "out.txt", message: "cannot tell the format from the file name; "
                                        + "use a .json or .nfg extension or give a format")) {
            try GameFile.write(game, path: "out.txt")
        }
        var caught: GameFormatError?
        do throws(GameFormatError) {
            try GameFile.write(game, path: "/nonexistent/dir/out.json")
        } catch {
            caught = error
        }
        #expect(caught?.description.hasPrefix("/nonexistent/dir/out.json: cannot write the file: ") == true)
        #expect(caught?.description.contains("\n") == false)
    }
}
