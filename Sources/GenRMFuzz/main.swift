import Foundation

// genrm-fuzz TARGET [ARGS...]
// Built with `-sanitize=fuzzer -D GENRM_FUZZ` (scripts/fuzz.sh): libFuzzer on TARGET, ARGS its
// own (corpus folders, -max_total_time=N, -runs=N, ...). Built plainly: every file (or every file
// in every folder) of ARGS through TARGET once, the committed corpus as a regression test.
let arguments = CommandLine.arguments
let names = FuzzTargets.all.map(\.name)
guard arguments.count >= 2, let target = FuzzTargets.all.first(where: { $0.name == arguments[1] }) else {
    FileHandle.standardError.write(Data("usage: genrm-fuzz \(names.joined(separator: "|")) [corpus folders or files, libFuzzer flags]\n".utf8))
    exit(64)
}

#if GENRM_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target libFuzzer calls (a C callback cannot capture it).
nonisolated(unsafe) var selected = target.run
// libFuzzer sees the program name and the arguments after TARGET.
var driverArguments = [arguments[0]] + arguments.dropFirst(2)
var count = CInt(driverArguments.count)
var pointers: [UnsafeMutablePointer<CChar>?] = driverArguments.map { strdup($0) } + [nil]
let status = pointers.withUnsafeMutableBufferPointer { buffer in
    var base = buffer.baseAddress
    return runDriver(&count, &base) { data, size in
        selected(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
exit(status)
#else
var files: [URL] = []
for path in arguments.dropFirst(2) where !path.hasPrefix("-") {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        FileHandle.standardError.write(Data("genrm-fuzz: no file or folder at \(path)\n".utf8))
        exit(1)
    }
    if isFolder.boolValue {
        let inside = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
        files += inside.sorted { $0.path < $1.path }
    } else {
        files.append(url)
    }
}
for file in files {
    let bytes = try Data(contentsOf: file)
    bytes.withUnsafeBytes { target.run($0) }
}
print("genrm-fuzz: \(target.name): \(files.count) inputs ran")
#endif
